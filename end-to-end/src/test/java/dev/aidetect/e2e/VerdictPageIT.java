package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.stack.StackService;

/**
 * The router's verdict page in a real browser (Debian's headless chromium through Selenium) on the packaged pipeline:
 * images picked in its file input are submitted, and each gets a row that ends with the verdict the router serves for
 * that image at {@code GET /verdicts/{id}}; the per-generator counts are those verdicts counted. Saves a screenshot to
 * {@code end-to-end/target/verdict-page.png} (the one in the README, {@code docs/verdict-page.png}, is such a run's).
 */
@ExtendWith(RunningPipeline.Provider.class)
class VerdictPageIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path CIFAKE = ROOT.resolve("../shared/data/cifake-dev").normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration VERDICTS = Duration.ofMinutes(4);
    private static final Set<String> FINAL = Set.of("DECIDED", "REJECTED", "TIMED_OUT");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imagesPickedOnThePageGetTheirVerdictsAndCountsLive(RunningPipeline pipeline) throws Exception {
        Prerequisites.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")",
                "apt-get install chromium chromium-driver");
        Prerequisites.require(Files.isDirectory(CIFAKE), "the CIFAKE sample " + CIFAKE,
                "place it at ../shared/data/cifake-dev beside the project (see ../shared/data/README.md)");
        // given: 3 CIFAKE images, one sample of every demo source (real and each generator) and a broken file
        List<Path> images = new ArrayList<>();
        images.addAll(firstFiles(CIFAKE.resolve("real"), 1));
        images.addAll(firstFiles(CIFAKE.resolve("fake"), 2));
        try (Stream<Path> sources = Files.list(pipeline.samples().resolve("fake"))) {
            for (Path family : sources.sorted().toList()) {
                try (Stream<Path> generators = Files.list(family)) {
                    for (Path generator : generators.sorted().toList()) {
                        images.addAll(firstFiles(generator, 1));
                    }
                }
            }
        }
        images.addAll(firstFiles(pipeline.samples().resolve("real"), 1));
        images.add(pipeline.samples().resolve("broken/not-an-image.jpg"));
        String page = "http://localhost:" + pipeline.stack().port(StackService.ROUTER) + "/";

        WebDriver browser = chromium();
        try {
            browser.get(page);
            WebDriverWait wait = new WebDriverWait(browser, VERDICTS);
            wait.until(b -> "open".equals(b.findElement(By.id("stream")).getAttribute("data-state")));

            // when: they are picked in the page's file input
            WebElement input = browser.findElement(By.id("files"));
            // The input is hidden behind the page's "pick files" label: shown for chromedriver to type into, then hidden.
            ((ChromeDriver) browser).executeScript("arguments[0].style.display = 'block'", input);
            input.sendKeys(images.stream().map(Path::toString).collect(Collectors.joining("\n")));
            ((ChromeDriver) browser).executeScript("arguments[0].style.display = ''", input);

            // then: one row each, every one ending with a final verdict
            wait.withMessage(() -> "rows that have no final verdict yet: " + rows(browser)).until(b -> {
                Map<String, String> rows = rows(b);
                return rows.size() == images.size() && FINAL.containsAll(rows.values());
            });
            Map<String, String> rows = rows(browser);
            Map<String, JsonNode> served = new TreeMap<>();
            for (String id : rows.keySet()) {
                served.put(id, verdict(page, id));
            }
            // each row shows the verdict the router serves for its image
            for (WebElement row : browser.findElements(By.cssSelector("#verdicts tr[data-image-id]"))) {
                JsonNode verdict = served.get(row.getAttribute("data-image-id"));
                assertThat(row.getAttribute("data-status")).isEqualTo(verdict.get("status").asText());
                assertThat(row.findElement(By.cssSelector("td.auth")).getText())
                        .isEqualTo(verdict.get("authenticity").asText());
                assertThat(row.findElement(By.cssSelector("td.generator")).getText())
                        .isEqualTo(verdict.hasNonNull("generator") ? verdict.get("generator").asText() : "–");
            }
            assertThat(served.values()).as("the broken file").anySatisfy(v -> {
                assertThat(v.get("status").asText()).isEqualTo("REJECTED");
                assertThat(v.get("attributes").get("file").asText()).isEqualTo("not-an-image.jpg");
            });
            assertThat(served.values()).as("every verdict is of the page's run, from the page")
                    .allSatisfy(v -> assertThat(v.get("source").asText()).isEqualTo("verdict-page"));
            // and the per-generator counts are those verdicts counted, in total one per image
            Map<String, Integer> counts = new TreeMap<>();
            for (WebElement row : browser.findElements(By.cssSelector("#counts tr[data-generator]"))) {
                counts.put(row.getAttribute("data-generator"),
                        Integer.parseInt(row.findElement(By.cssSelector("td.count")).getText()));
            }
            Map<String, Integer> expected = new TreeMap<>();
            served.values().forEach(v -> expected.merge(countKey(v), 1, Integer::sum));
            assertThat(counts).isEqualTo(expected);
            assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(images.size());
            System.out.println("verdict page: " + rows.size() + " rows, counts " + counts);

            Path screenshot = ROOT.resolve("end-to-end/target/verdict-page.png");
            Files.write(screenshot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
            System.out.println("verdict page: screenshot " + screenshot);
        } finally {
            browser.quit();
        }
    }

    private static WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return driver;
    }

    /** Image id -> status of each row the page has given an id. */
    private static Map<String, String> rows(WebDriver browser) {
        Map<String, String> rows = new TreeMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#verdicts tr[data-image-id]"))) {
            rows.put(row.getAttribute("data-image-id"), row.getAttribute("data-status"));
        }
        return rows;
    }

    /** What the page counts a verdict under: its generator, or why it has none. */
    private static String countKey(JsonNode v) {
        return switch (v.get("status").asText()) {
            case "REJECTED" -> "rejected";
            case "TIMED_OUT" -> "timed out";
            default -> v.hasNonNull("generator")
                    ? v.get("generator").asText()
                    : switch (v.get("authenticity").asText()) {
                        case "REAL" -> "real";
                        case "UNCERTAIN" -> "uncertain";
                        default -> v.get("authenticity").asText().toLowerCase() + ", no generator";
                    };
        };
    }

    private static JsonNode verdict(String page, String id) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(page + "verdicts/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /verdicts/%s: %s", id, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<Path> firstFiles(Path dir, int n) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().limit(n).toList();
        }
    }
}
