package org.ganymede.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ganymede.api.ExperimentRunner.RunOptions;
import org.ganymede.api.RunOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through its
 * ChromeDriver, against Apache Felix HTTP in a framework that also trains. The run list shows a run
 * trained here, its loss curve is drawn, its latest grid is displayed, steps it logs later appear
 * without a reload, and a generator the host serves from it is listed; nothing outside the runs
 * folder is served. Skipped where Chromium is
 * not installed (.ci/run installs it).
 */
class DashboardTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  @TempDir Path work;

  @Test
  void theRunListCurvesAndGridsOfARunThatTrains() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    Path runs = Files.createDirectories(work.resolve("runs"));
    Path outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("experiment.yaml"), "architecture: {name: secret}\n");
    Files.createSymbolicLink(runs.resolve("linked-out"), outside);
    int port = freePort();
    try (GanymedeHost host = GanymedeHost.startDashboard(Distribution.current(),
        new GanymedeHost.Dashboard(runs, "127.0.0.1", port), List.of("vanilla", "losses", "datasets"))) {
      assertTrue(host.problems().isEmpty(), host.problems().toString());
      Path experiment = Experiments.write(work, "ring.yaml", """
          architecture: {name: vanilla}
          dataset: {name: ring}
          training: {steps: 60, batch: 64, seed: 4}
          output: {log_every: 5, sample_every: 10, checkpoint_every: 1000}
          """);
      Path run = runs.resolve("ring");
      RunOutcome first = host.runner().train(experiment, new RunOptions(List.of(), () -> false, run, 20));
      assertEquals(20, first.step(), first.message());

      String base = "http://127.0.0.1:" + port + "/ganymede/";
      refusesWhatLiesOutside(base);
      // A trained generator the host serves is listed too.
      GeneratorServiceTest.configure(host.framework().getBundleContext(), "ring-model", run.toString(), null);

      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
          .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1300,1700");
      WebDriver browser = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(base);
        wait.until(b -> !b.findElements(By.cssSelector("tr[data-run=ring]")).isEmpty());
        String row = browser.findElement(By.cssSelector("tr[data-run=ring]")).getText();
        assertTrue(row.contains("vanilla") && row.contains("ring") && row.contains("20 / 60") && row.contains("stopped"),
            row);
        assertTrue(browser.findElements(By.cssSelector("tr[data-run=linked-out]")).isEmpty(),
            "a folder that links out of the runs folder is not listed");
        wait.until(b -> b.findElement(By.id("generators")).getText().contains("ring-model"));
        assertTrue(browser.findElement(By.id("generators")).getText().contains("vanilla"));

        browser.findElement(By.cssSelector("tr[data-run=ring]")).click();
        wait.until(b -> !b.findElements(By.cssSelector("#losses canvas")).isEmpty());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        wait.until(b -> Boolean.TRUE.equals(js.executeScript(
            "const i = document.getElementById('sample'); return i.complete && i.naturalWidth > 0;")));
        assertEquals("step 20", browser.findElement(By.id("sample-step")).getText(), "the latest grid is shown");
        assertEquals(4L, js.executeScript("return charts.losses.data[0].length;"), "the curve has the 4 logged steps");

        // The run trains on while the page is open: its new steps appear without a reload.
        CompletableFuture<RunOutcome> more = CompletableFuture.supplyAsync(() -> {
          try {
            return host.runner().resume(run, new RunOptions(List.of(), () -> false, null, 0));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        assertEquals(RunOutcome.Status.COMPLETED, more.get().status());
        try {
          wait.until(b -> b.findElement(By.id("run-state")).getText().contains("step 60"));
        } catch (org.openqa.selenium.TimeoutException e) {
          throw new AssertionError("the page did not follow the run to step 60: it shows '"
              + browser.findElement(By.id("run-state")).getText() + "', "
              + js.executeScript("return charts.losses.data[0].length;") + " logged steps, refresh error '"
              + browser.findElement(By.id("poll-error")).getText() + "'", e);
        }
        assertEquals(12L, js.executeScript("return charts.losses.data[0].length;"), "all 12 logged steps drawn");
        wait.until(b -> b.findElement(By.id("sample-step")).getText().equals("step 60"));
        assertTrue(browser.findElement(By.cssSelector("tr[data-run=ring]")).getText().contains("completed"));
        Files.write(Path.of("target/dashboard-test.png"),
            ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertFalse(browser.getPageSource().contains("secret"), "nothing from outside the folder reached the page");
      } finally {
        browser.quit();
      }
    }
  }

  /** Requests that climb out of the folder, or name what is not a run's file, are refused. */
  private static void refusesWhatLiesOutside(String base) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (String path : List.of("api/runs/linked-out", "api/runs/linked-out/log", "api/runs/ring/samples/..%2F..%2Fring.yaml",
        "api/runs/%2E%2E/log", "api/runs/ring/samples/experiment.yaml", "api/runs/ring/log?from=-1", "nothing.html")) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + " answered "
          + response.statusCode() + ": " + response.body());
      assertFalse(response.body().contains("secret"), path);
    }
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "api/runs"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode(), "it only reads");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
