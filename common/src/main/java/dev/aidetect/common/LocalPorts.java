package dev.aidetect.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** TCP ports on the loopback interface, for the processes the project starts itself. */
public final class LocalPorts {
    private LocalPorts() {
    }

    /** Whether nothing listens on {@code port} of the loopback interface now (so a process of ours can bind it). */
    public static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
