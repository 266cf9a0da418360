package dev.aidetect.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A server-sent events client for tests, as a browser's EventSource reads the stream: collects each event's id, name
 * and JSON data in a background thread until {@link #close()}.
 */
final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event: {@code name} is null for unnamed (verdict) events. */
    record Event(String id, String name, JsonNode data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final HttpResponse<Stream<String>> response;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread.ofVirtual().start(this::read);
    }

    /** Connects to {@code uri}, sending {@code lastEventId} as {@code Last-Event-ID} when not null. */
    static SseClient open(URI uri, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": "
                    + String.join("\n", response.body().toList()));
        }
        return new SseClient(response);
    }

    List<Event> events() {
        return events;
    }

    /** The data of the verdict events, in the order they came. */
    List<JsonNode> verdicts() {
        return events.stream().filter(e -> e.name() == null).map(Event::data).toList();
    }

    @Override
    public void close() {
        response.body().close();
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, JSON.readTree(data.toString())));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the stream sent an event that is not JSON", e);
        } catch (UncheckedIOException e) {
            // the stream was closed by close(): nothing more to read
        }
    }
}
