package org.ganymede.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.Plugins;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An OSGi framework (Felix, or any found by {@link FrameworkFactory}) with Ganymede's runtime
 * bundles and the selected plug-ins installed. Each instance has its own storage, so several
 * can run side by side. A bundle that fails to install or start is reported and skipped; the
 * others go on.
 */
final class GanymedeHost implements AutoCloseable {
  private static final long COMPONENT_WAIT = TimeUnit.SECONDS.toMillis(10);

  private final Framework framework;
  private final Path storage;
  private final List<String> problems = new ArrayList<>();

  private GanymedeHost(Framework framework, Path storage) {
    this.framework = framework;
    this.storage = storage;
  }

  /**
   * Starts a framework with the runtime bundles and the plug-ins whose symbolic names match
   * {@code selection} (all plug-ins when it is empty).
   */
  static GanymedeHost start(Distribution distribution, List<String> selection)
      throws IOException, BundleException, InterruptedException {
    List<Path> all = new ArrayList<>(distribution.runtimeBundles());
    all.addAll(PluginSelection.choose(distribution.pluginBundles(), selection));
    return start(Map.of(), all);
  }

  /**
   * Starts a framework for a long-running shell: the runtime bundles, the Gogo shell and
   * FileInstall, which installs, updates and uninstalls the plug-ins in {@code plugins} as jars
   * come and go there; and the dashboard, if one is asked for.
   *
   * @param interactive whether the shell reads commands from the console
   * @param dashboard where to serve the dashboard, or null for none
   */
  static GanymedeHost startShell(Distribution distribution, Path plugins, boolean interactive, Dashboard dashboard)
      throws IOException, BundleException, InterruptedException {
    Map<String, String> config = new HashMap<>();
    config.put("felix.fileinstall.dir", plugins.toAbsolutePath().toString());
    config.put("felix.fileinstall.poll", "1000");
    config.put("felix.fileinstall.noInitialDelay", "true");
    config.put("felix.fileinstall.log.level", "2"); // warnings: a drop-in that fails to start says why
    config.put("gosh.args", interactive ? "" : "--nointeractive");
    List<Path> all = new ArrayList<>(distribution.runtimeBundles());
    all.addAll(distribution.shellBundles());
    if (dashboard != null) {
      dashboard.configure(config);
      all.addAll(dashboard.bundles(distribution));
    }
    return start(config, all);
  }

  /**
   * Starts a framework that serves the dashboard: the runtime bundles, the selected plug-ins (none
   * for a dashboard alone), Apache Felix HTTP as the HTTP Whiteboard, and the dashboard bundle.
   */
  static GanymedeHost startDashboard(Distribution distribution, Dashboard dashboard, List<String> selection)
      throws IOException, BundleException, InterruptedException {
    Map<String, String> config = new HashMap<>();
    dashboard.configure(config);
    List<Path> all = new ArrayList<>(distribution.runtimeBundles());
    if (!selection.isEmpty()) {
      all.addAll(PluginSelection.choose(distribution.pluginBundles(), selection));
    }
    all.addAll(dashboard.bundles(distribution));
    return start(config, all);
  }

  /**
   * The dashboard of {@code runs} served at {@code http://ADDRESS:PORT/ganymede/}.
   *
   * @param address the address Jetty listens on, 127.0.0.1 for this machine only
   */
  record Dashboard(Path runs, String address, int port) {
    String url() {
      return "http://" + address + ":" + port + "/ganymede/";
    }

    /**
     * Jetty only logs a port it cannot bind: ask first, and say which port is taken and which is free.
     *
     * @throws org.ganymede.api.ParameterException when the port is in use
     */
    void requireFreePort() throws IOException {
      if (bindable(port)) {
        return;
      }
      int free = port;
      while (free < 65535 && !bindable(++free)) {
        // the next one
      }
      throw new org.ganymede.api.ParameterException("port " + port + " on " + address + " is in use by another "
          + "program; choose another with --port" + (free < 65535 ? ", such as " + free + " (free now)" : ""));
    }

    private boolean bindable(int candidate) throws IOException {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(candidate, 1, java.net.InetAddress.getByName(address))) {
        return true;
      } catch (java.net.BindException e) {
        return false;
      }
    }

    void configure(Map<String, String> config) throws IOException {
      requireFreePort();
      config.put("org.osgi.service.http.port", Integer.toString(port));
      config.put("org.apache.felix.http.host", address);
      config.put("ganymede.dashboard.runs", runs.toAbsolutePath().toString());
    }

    /** SPI Fly and SLF4J's provider first: Jetty looks its logger up once, when it starts. */
    List<Path> bundles(Distribution distribution) throws IOException {
      return distribution.dashboardBundles().stream().sorted(java.util.Comparator.comparingInt((Path p) ->
          p.getFileName().toString().contains("spifly") ? 0 : p.getFileName().toString().startsWith("slf4j") ? 1 : 2))
          .toList();
    }
  }

  private static GanymedeHost start(Map<String, String> extraConfig, List<Path> bundles)
      throws IOException, BundleException, InterruptedException {
    Path storage = Files.createTempDirectory("ganymede-osgi");
    Map<String, String> config = new HashMap<>(extraConfig);
    config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, HostPackages.systemPackagesExtra());
    Framework framework = defaultFramework().newFramework(config);
    framework.start();
    GanymedeHost host = new GanymedeHost(framework, storage);
    host.installAndStart(bundles);
    host.awaitComponentServices(COMPONENT_WAIT);
    return host;
  }

  /** Felix, which the distribution ships; otherwise the first framework on the class path. */
  private static FrameworkFactory defaultFramework() {
    List<FrameworkFactory> found = ServiceLoader.load(FrameworkFactory.class).stream().map(ServiceLoader.Provider::get)
        .toList();
    return found.stream().filter(f -> f.getClass().getName().startsWith("org.apache.felix.")).findFirst()
        .or(() -> found.stream().findFirst())
        .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
  }

  /** Installs and starts each jar; failures are collected, not thrown. */
  List<Bundle> installAndStart(List<Path> jars) {
    List<Bundle> installed = new ArrayList<>();
    for (Path jar : jars) {
      try {
        installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
      } catch (BundleException e) {
        problems.add(jar.getFileName() + " could not be installed: " + e.getMessage());
      }
    }
    for (Bundle b : installed) {
      if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
        continue;
      }
      try {
        b.start();
      } catch (BundleException | RuntimeException e) {
        String why = e instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR
            ? unresolvedImports(b).orElse(e.getMessage()) : e.getMessage();
        problems.add(b.getSymbolicName() + " " + b.getVersion() + " did not start: " + why);
      }
    }
    return installed;
  }

  /**
   * For a bundle that did not resolve: each package it imports that no bundle offers in the range
   * it asks for, with the versions that are offered. Empty when that is not why.
   */
  private Optional<String> unresolvedImports(Bundle bundle) {
    Map<String, List<String>> offered = new HashMap<>();
    for (Bundle other : framework.getBundleContext().getBundles()) {
      BundleWiring wiring = other.adapt(BundleWiring.class);
      if (wiring == null) {
        continue;
      }
      for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
        offered.computeIfAbsent((String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE), k -> new ArrayList<>())
            .add(String.valueOf(c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE)));
      }
    }
    List<String> reasons = new ArrayList<>();
    for (BundleRequirement r : bundle.adapt(BundleRevision.class).getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
      String filter = r.getDirectives().get(Constants.FILTER_DIRECTIVE);
      String resolution = r.getDirectives().get(PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
      if (filter == null || PackageNamespace.RESOLUTION_OPTIONAL.equals(resolution) || matchesOffered(r)) {
        continue;
      }
      String name = packageName(filter);
      List<String> versions = offered.getOrDefault(name, List.of());
      reasons.add("it imports " + name + " " + versionRange(filter) + (versions.isEmpty()
          ? ", which no bundle and not the host exports"
          : ", and what is there is " + name + " " + String.join(", ", versions)
              + (name.startsWith("org.ganymede.") ? ": build it against this Ganymede's API" : "")));
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  private boolean matchesOffered(BundleRequirement requirement) {
    for (Bundle other : framework.getBundleContext().getBundles()) {
      BundleWiring wiring = other.adapt(BundleWiring.class);
      if (wiring != null) {
        for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
          if (requirement.matches(c)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The version range of a package requirement filter in OSGi's notation, {@code [1.0.0,2.0.0)}. */
  static String versionRange(String filter) {
    String rest = filter;
    String upper = null;
    Matcher m = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)").matcher(rest);
    if (m.find()) {
      upper = m.group(1) + ")";
      rest = rest.substring(0, m.start()) + rest.substring(m.end());
    }
    m = Pattern.compile("\\(version<=([^)]+)\\)").matcher(rest);
    if (upper == null && m.find()) {
      upper = m.group(1) + "]";
    }
    m = Pattern.compile("\\(version>=([^)]+)\\)").matcher(rest);
    String lower = m.find() ? "[" + m.group(1) : "[0.0.0";
    return upper == null ? lower.substring(1) + " or later" : lower + "," + upper;
  }

  /** The package name in a requirement filter such as {@code (&(osgi.wiring.package=a.b)(version>=1.0.0))}. */
  private static String packageName(String filter) {
    int at = filter.indexOf(PackageNamespace.PACKAGE_NAMESPACE + "=");
    if (at < 0) {
      return filter;
    }
    int from = at + PackageNamespace.PACKAGE_NAMESPACE.length() + 1;
    int to = filter.indexOf(')', from);
    return filter.substring(from, to < 0 ? filter.length() : to);
  }

  /**
   * Declarative Services registers components' services asynchronously: waits until every active
   * bundle that declares components has registered a service, so that lookups and {@code list}
   * see them all. A bundle that registers none in time is reported.
   */
  void awaitComponentServices(long timeoutMillis) throws InterruptedException {
    Object registered = new Object();
    ServiceListener wake = event -> {
      synchronized (registered) {
        registered.notifyAll();
      }
    };
    framework.getBundleContext().addServiceListener(wake);
    try {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      synchronized (registered) {
        List<Bundle> waiting;
        while (!(waiting = withoutServices()).isEmpty()) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            for (Bundle b : waiting) {
              problems.add(b.getSymbolicName() + " " + b.getVersion() + " registered no service within "
                  + timeoutMillis / 1000 + " s: a component of it could not be satisfied or activated");
            }
            return;
          }
          registered.wait(left);
        }
      }
    } finally {
      framework.getBundleContext().removeServiceListener(wake);
    }
  }

  private List<Bundle> withoutServices() {
    List<Bundle> waiting = new ArrayList<>();
    for (Bundle b : framework.getBundleContext().getBundles()) {
      if (b.getState() == Bundle.ACTIVE && b.getHeaders().get("Service-Component") != null
          && b.getRegisteredServices() == null) {
        waiting.add(b);
      }
    }
    return waiting;
  }

  /** What went wrong with bundles so far, one sentence each. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  Framework framework() {
    return framework;
  }

  /** The engine's runner, waiting for Declarative Services to activate it. */
  ExperimentRunner runner() throws InterruptedException {
    ServiceTracker<ExperimentRunner, ExperimentRunner> tracker =
        new ServiceTracker<>(framework.getBundleContext(), ExperimentRunner.class, null);
    tracker.open();
    ExperimentRunner runner = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
    if (runner == null) {
      throw new IllegalStateException("the engine did not start within 20 s" + (problems.isEmpty() ? "" : ": " + problems));
    }
    return runner;
  }

  /** The plug-in service of this type with this {@code name}, or null when none is registered. */
  <T> T service(Class<T> type, String name) throws InvalidSyntaxException {
    BundleContext context = framework.getBundleContext();
    var refs = context.getServiceReferences(type, "(" + Plugins.NAME + "=" + name.replaceAll("[\\\\()*]", "") + ")");
    return refs.isEmpty() ? null : context.getService(refs.iterator().next());
  }

  @Override
  public void close() throws Exception {
    framework.stop();
    framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
    try (var files = Files.walk(storage)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The symbolic name of a bundle jar, or null for a jar that is not a bundle. */
  static String symbolicName(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      if (j.getManifest() == null) {
        return null;
      }
      String bsn = j.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
      return bsn == null ? null : bsn.split(";")[0].trim();
    }
  }
}
