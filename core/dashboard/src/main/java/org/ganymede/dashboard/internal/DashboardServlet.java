package org.ganymede.dashboard.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.ganymede.api.Generator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The dashboard, registered with the OSGi HTTP Whiteboard under {@code /ganymede}: the page and
 * its scripts, and a read-only JSON view of the runs folder (the framework property
 * {@value #RUNS_PROPERTY}, {@code runs} by default) that the page polls.
 *
 * <ul>
 *   <li>{@code /ganymede/api/runs}: every run's summary
 *   <li>{@code /ganymede/api/runs/NAME}: one run's summary, experiment, sample grids and evaluations
 *       (a sweep's run is named {@code SWEEP/CONFIGURATION/seed-N})
 *   <li>{@code /ganymede/api/runs/NAME/log?from=K}: its log lines from line K
 *   <li>{@code /ganymede/api/runs/NAME/samples/FILE}: a sample grid
 *   <li>{@code /ganymede/api/sweeps}: every sweep's table and the progress of its runs
 *   <li>{@code /ganymede/api/sweeps/NAME/sweep.png}: a sweep's plot
 *   <li>{@code /ganymede/api/generators}: the Generator services the host has registered
 * </ul>
 * Only GET is answered; a name that is not a run, a sample or an evaluation, or a path that leads
 * out of the folder, is a 404.
 */
@Component(
    service = Servlet.class,
    property = {
      "osgi.http.whiteboard.servlet.pattern=/ganymede/*",
      "osgi.http.whiteboard.servlet.name=ganymede-dashboard"
    })
public final class DashboardServlet extends HttpServlet {
  static final String RUNS_PROPERTY = "ganymede.dashboard.runs";
  private static final long serialVersionUID = 1L;
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
  /** The page's files, by the path they are served at, and their content types. */
  private static final Map<String, String> STATIC = Map.of(
      "/index.html", "text/html; charset=utf-8",
      "/app.js", "text/javascript; charset=utf-8",
      "/style.css", "text/css; charset=utf-8",
      "/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8",
      "/uplot/uPlot.min.css", "text/css; charset=utf-8");

  private transient RunsFolder runs;
  /** The trained generators registered in the host, as they come and go. */
  private final transient List<Generator> generators = new CopyOnWriteArrayList<>();

  @Activate
  void activate(BundleContext context) {
    String folder = context.getProperty(RUNS_PROPERTY);
    runs = new RunsFolder(Path.of(folder == null ? "runs" : folder));
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addGenerator(Generator generator) {
    generators.add(generator);
  }

  void removeGenerator(Generator generator) {
    generators.remove(generator);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
    try {
      if (path.equals("/")) {
        path = "/index.html";
      }
      if (STATIC.containsKey(path)) {
        resource(path, response);
      } else if (path.equals("/api/runs")) {
        JsonObject body = new JsonObject();
        body.addProperty("folder", runs.root().toString());
        body.add("runs", runs.runs());
        json(body, response);
      } else if (path.equals("/api/sweeps")) {
        JsonObject body = new JsonObject();
        body.add("sweeps", runs.sweeps());
        json(body, response);
      } else if (path.startsWith("/api/sweeps/") && path.endsWith("/sweep.png")) {
        Path picture = runs.sweepPicture(path.substring("/api/sweeps/".length(), path.length() - "/sweep.png".length()));
        response.setContentType("image/png");
        response.setHeader("Cache-Control", "max-age=3600"); // the page asks anew when a run has finished
        Files.copy(picture, response.getOutputStream());
      } else if (path.equals("/api/generators")) {
        JsonArray list = new JsonArray();
        for (Generator g : generators) {
          list.add(GSON.toJsonTree(g.model()));
        }
        JsonObject body = new JsonObject();
        body.add("generators", list);
        json(body, response);
      } else if (path.startsWith("/api/runs/")) {
        run(path.substring("/api/runs/".length()).split("/", -1), request, response);
      } else {
        throw new RunsFolder.NotServed("nothing at " + path);
      }
    } catch (RunsFolder.NotServed e) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND, e.getMessage());
    }
  }

  private void run(String[] parts, HttpServletRequest request, HttpServletResponse response)
      throws IOException, RunsFolder.NotServed {
    int named = RunsFolder.runNameLength(parts);
    String name = String.join("/", java.util.Arrays.copyOf(parts, named));
    Path run = runs.inside(name);
    parts = java.util.Arrays.copyOfRange(parts, named - 1, parts.length); // the run, then what of it
    if (parts.length == 1) {
      JsonObject body = runs.summary(run, name);
      body.addProperty("experiment", runs.experimentText(run));
      JsonArray samples = new JsonArray();
      runs.samples(run).forEach(samples::add);
      body.add("samples", samples);
      JsonObject evaluations = new JsonObject();
      for (String file : runs.evaluations(run)) {
        evaluations.add(file, runs.evaluation(run, file));
      }
      body.add("evaluations", evaluations);
      json(body, response);
    } else if (parts.length == 2 && parts[1].equals("log")) {
      int from = parseFrom(request.getParameter("from"));
      RunsFolder.Log log = runs.log(run);
      List<JsonObject> lines = log.lines();
      JsonObject body = new JsonObject();
      if (log.unreadable() != null) {
        body.addProperty("unreadable", log.unreadable());
      }
      body.addProperty("from", from);
      body.addProperty("next", Math.max(from, lines.size()));
      JsonArray array = new JsonArray();
      lines.subList(Math.min(from, lines.size()), lines.size()).forEach(array::add);
      body.add("lines", array);
      json(body, response);
    } else if (parts.length == 3 && parts[1].equals("samples")) {
      Path file = runs.sample(run, parts[2]);
      response.setContentType("image/png");
      response.setHeader("Cache-Control", "max-age=3600");
      Files.copy(file, response.getOutputStream());
    } else {
      throw new RunsFolder.NotServed("nothing at " + String.join("/", parts));
    }
  }

  private static int parseFrom(String value) throws RunsFolder.NotServed {
    try {
      int from = value == null ? 0 : Integer.parseInt(value);
      if (from < 0) {
        throw new NumberFormatException();
      }
      return from;
    } catch (NumberFormatException e) {
      throw new RunsFolder.NotServed("'from' is a line number, 0 or more; got '" + value + "'");
    }
  }

  private static void resource(String path, HttpServletResponse response) throws IOException {
    try (InputStream in = DashboardServlet.class.getResourceAsStream("/dashboard" + path)) {
      if (in == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      response.setContentType(STATIC.get(path));
      in.transferTo(response.getOutputStream());
    }
  }

  private static void json(Object body, HttpServletResponse response) throws IOException {
    response.setContentType("application/json; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.getOutputStream().write(GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }
}
