package dev.aidetect.tools.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import dev.aidetect.common.LocalPorts;
import dev.aidetect.tools.cli.CommandFailure;

/** Local TCP ports for the processes the local stack starts. */
public final class Port {
    private Port() {
    }

    /** {@code preferred} if free, else any free port: a demo left running must not break a test run. */
    public static int preferredOrFree(int preferred) {
        for (int port : new int[]{preferred, 0}) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken; try the next
            }
        }
        throw new CommandFailure("no free local TCP port: too many processes listen on this machine");
    }

    /**
     * Returns {@code port} if it is free: a port the user chose is theirs, so it is never silently replaced.
     *
     * @throws CommandFailure naming the port, the option that chose it and what to do
     */
    public static int requireFree(int port, String option) {
        if (!LocalPorts.free(port)) {
            throw new CommandFailure("port " + port + " is taken (another process listens on it): stop that process "
                    + "(ss -ltnp 'sport = :" + port + "' shows which) or choose another with " + option);
        }
        return port;
    }
}
