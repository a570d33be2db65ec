package org.ganymede.engine.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ganymede.api.AdversarialLoss;
import org.ganymede.api.Architecture;
import org.ganymede.api.Augmentation;
import org.ganymede.api.Command;
import org.ganymede.api.DatasetProvider;
import org.ganymede.api.ExperimentRunner.PluginInfo;
import org.ganymede.api.FeatureExtractor;
import org.ganymede.api.Metric;
import org.ganymede.api.ParameterException;
import org.ganymede.api.Plugins;
import org.ganymede.api.Regularizer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Finds plug-in services by name for one run, holds them while it lasts and notices when one
 * goes away. Declarative Services activates components asynchronously, so a lookup waits for the
 * service a little before it reports a name as missing.
 */
final class ServiceDirectory implements AutoCloseable {
  /** The kinds of plug-in, their service types and the word experiment files use for them. */
  static final Map<String, Class<?>> KINDS = Map.of(
      "architecture", Architecture.class,
      "loss", AdversarialLoss.class,
      "regularizer", Regularizer.class,
      "augmentation", Augmentation.class,
      "dataset", DatasetProvider.class,
      "metric", Metric.class,
      "feature-extractor", FeatureExtractor.class,
      "command", Command.class);
  static final List<String> KIND_ORDER =
      List.of("architecture", "loss", "regularizer", "augmentation", "dataset", "metric", "feature-extractor", "command");

  private static final Duration SHORT_WAIT = Duration.ofSeconds(2);

  private final BundleContext context;
  private final ServiceComponentRuntime components;
  private final Duration wait;
  private final List<ServiceReference<?>> held = new CopyOnWriteArrayList<>();
  private final ServiceListener departures;
  private volatile String lostService;

  /** @param components Declarative Services' runtime, asked why a component failed */
  ServiceDirectory(BundleContext context, ServiceComponentRuntime components, Duration wait) {
    this.context = context;
    this.components = components;
    this.wait = wait;
    this.departures = event -> {
      if (event.getType() == ServiceEvent.UNREGISTERING && held.contains(event.getServiceReference())) {
        lostService = describe(event.getServiceReference());
      }
    };
    context.addServiceListener(departures);
  }

  /** The service of this kind and name, held until {@link #close}. */
  <T> T get(String kind, String name) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) KINDS.get(kind);
    // While no service of this kind is up, the framework may still be starting: wait the full
    // time. When others are up, a missing name is most likely a typo: answer sooner.
    Duration patience = references(context, type, null).isEmpty() || wait.compareTo(SHORT_WAIT) < 0 ? wait : SHORT_WAIT;
    // Track references, not services: getting a service activates its component, and one that
    // fails to activate should be reported with its reason, not as missing.
    ServiceTracker<T, ServiceReference<T>> tracker = new ServiceTracker<>(context, filter(type, name),
        new ServiceTrackerCustomizer<T, ServiceReference<T>>() {
          @Override
          public ServiceReference<T> addingService(ServiceReference<T> reference) {
            return reference;
          }

          @Override
          public void modifiedService(ServiceReference<T> reference, ServiceReference<T> tracked) {}

          @Override
          public void removedService(ServiceReference<T> reference, ServiceReference<T> tracked) {}
        });
    tracker.open();
    try {
      ServiceReference<T> ref = tracker.waitForService(patience.toMillis());
      if (ref == null) {
        throw new ParameterException("no " + kind + " named '" + name + "'; " + available(kind));
      }
      T service = context.getService(ref);
      if (service == null) {
        throw new ParameterException(kind + " '" + name + "' of bundle " + ref.getBundle().getSymbolicName() + " "
            + ref.getBundle().getVersion() + " "
            + activationFailure(ref).orElse("went away while the run was being built; try again"));
      }
      held.add(ref);
      return service;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + kind + " '" + name + "'", e);
    } finally {
      tracker.close();
    }
  }

  /**
   * A service property of the service of this kind and name that {@link #get} returned, or null
   * when it has none.
   */
  Object property(String kind, String name, String key) {
    for (ServiceReference<?> ref : held) {
      if (name.equals(ref.getProperty(Plugins.NAME)) && KINDS.get(kind).getName().equals(
          ((String[]) ref.getProperty(Constants.OBJECTCLASS))[0])) {
        return ref.getProperty(key);
      }
    }
    throw new IllegalStateException(kind + " '" + name + "' was not looked up");
  }

  /**
   * Why the component behind a service did not activate, as Declarative Services recorded it:
   * Declarative Services activates a component when its service is first used, so a plug-in whose
   * constructor throws looks registered until then.
   */
  private Optional<String> activationFailure(ServiceReference<?> ref) {
    Object componentName = ref.getProperty("component.name");
    for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs(ref.getBundle())) {
      if (!description.name.equals(componentName)) {
        continue;
      }
      for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
        if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
          return Optional.of("failed to activate: " + rootCause(configuration.failure));
        }
      }
    }
    return Optional.empty();
  }

  /** The innermost cause in a stack trace's text: what the component's own code threw. */
  private static String rootCause(String stackTrace) {
    String cause = stackTrace == null ? "(no reason recorded)" : stackTrace.lines().findFirst().orElse("");
    for (String line : stackTrace == null ? List.<String>of() : stackTrace.lines().toList()) {
      if (line.startsWith("Caused by: ")) {
        cause = line.substring("Caused by: ".length());
      }
    }
    return cause;
  }

  /**
   * The names of the registered services of this kind whose property {@code key} holds
   * {@code value} (a string or a list of them), sorted.
   */
  List<String> namesWith(String kind, String key, String value) {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (ServiceReference<?> ref : references(context, KINDS.get(kind), null)) {
      Object property = ref.getProperty(key);
      boolean holds = property instanceof String[] values ? List.of(values).contains(value) : value.equals(property);
      if (holds) {
        names.add(String.valueOf(ref.getProperty(Plugins.NAME)));
      }
    }
    return List.copyOf(names);
  }

  /** Which service went away during the run, or null. */
  String lostService() {
    return lostService;
  }

  /** Every registered plug-in service, for {@code list}. */
  static List<PluginInfo> plugins(BundleContext context) {
    List<PluginInfo> result = new ArrayList<>();
    for (String kind : KIND_ORDER) {
      for (ServiceReference<?> ref : references(context, KINDS.get(kind), null)) {
        Object description = ref.getProperty(Plugins.DESCRIPTION);
        result.add(new PluginInfo(kind, String.valueOf(ref.getProperty(Plugins.NAME)),
            description == null ? "" : description.toString(),
            ref.getBundle().getSymbolicName(), ref.getBundle().getVersion().toString()));
      }
    }
    return result;
  }

  private String available(String kind) {
    List<String> names = new ArrayList<>();
    for (PluginInfo p : plugins(context)) {
      if (p.kind().equals(kind)) {
        names.add(p.name() + " (" + p.bundle() + " " + p.version() + ")");
      }
    }
    return names.isEmpty()
        ? "no " + kind + " is registered: is its bundle installed and started?"
        : "available: " + String.join(", ", names);
  }

  @SuppressWarnings("unchecked")
  private static <T> List<ServiceReference<T>> references(BundleContext context, Class<T> type, String name) {
    String filter = name == null ? "(" + Plugins.NAME + "=*)" : "(" + Plugins.NAME + "=" + escape(name) + ")";
    try {
      ServiceReference<?>[] refs = context.getServiceReferences(type.getName(), filter);
      if (refs == null) {
        return List.of();
      }
      Arrays.sort(refs, (a, b) -> b.compareTo(a)); // highest ranking first
      List<ServiceReference<T>> result = new ArrayList<>();
      for (ServiceReference<?> r : refs) {
        result.add((ServiceReference<T>) r);
      }
      return result;
    } catch (InvalidSyntaxException e) {
      throw new ParameterException("'" + name + "' is not a valid plug-in name");
    }
  }

  private Filter filter(Class<?> type, String name) {
    try {
      return context.createFilter("(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")(" + Plugins.NAME + "="
          + escape(name) + "))");
    } catch (InvalidSyntaxException e) {
      throw new ParameterException("'" + name + "' is not a valid plug-in name");
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
  }

  private static String describe(ServiceReference<?> ref) {
    return "'" + ref.getProperty(Plugins.NAME) + "' of bundle " + ref.getBundle().getSymbolicName();
  }

  @Override
  public void close() {
    context.removeServiceListener(departures);
    for (ServiceReference<?> ref : held) {
      try {
        context.ungetService(ref);
      } catch (IllegalStateException bundleGone) {
        // our own bundle is stopping: the framework releases everything anyway
      }
    }
    held.clear();
  }
}
