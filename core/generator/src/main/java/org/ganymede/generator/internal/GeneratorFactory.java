package org.ganymede.generator.internal;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.ganymede.api.ExperimentRunner;
import org.ganymede.api.Generator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * One {@link Generator} service for each factory configuration {@value #PID} (Configuration
 * Admin; in the shell, a {@code org.ganymede.generator-NAME.cfg} file that FileInstall reads):
 * {@code name}, {@code model} (a folder {@code export-model} wrote, or a run folder, exported on
 * the fly with the engine and the run's plug-ins) and, for a run folder, {@code checkpoint}
 * (latest, best or a step). A configuration that cannot be loaded is reported by name and the
 * others keep working; updating one swaps its model without a restart.
 */
@Component(service = {ManagedServiceFactory.class, GeneratorFactory.class}, immediate = true,
    property = Constants.SERVICE_PID + "=" + GeneratorFactory.PID)
public final class GeneratorFactory implements ManagedServiceFactory {
  static final String PID = "org.ganymede.generator";

  private final BundleContext context;
  private final Map<String, Loaded> loaded = new ConcurrentSkipListMap<>();
  private final Map<String, String> failures = new ConcurrentSkipListMap<>();
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  private volatile ExperimentRunner runner;

  /** A registered generator and where it came from. */
  record Loaded(String model, SavedModelGenerator generator, ServiceRegistration<Generator> registration) {}

  @Activate
  public GeneratorFactory(BundleContext context) {
    this.context = context;
  }

  @Override
  public String getName() {
    return "Ganymede generators";
  }

  @Override
  public void updated(String pid, Dictionary<String, ?> properties) throws ConfigurationException {
    Object nameValue = properties.get(Generator.NAME);
    String name = nameValue == null ? pid : nameValue.toString();
    Object modelValue = properties.get("model");
    failures.remove(pid);
    if (modelValue == null) {
      unload(pid);
      fail(pid, "generator '" + name + "': its configuration names no 'model' (a folder 'ganymede export-model' wrote, "
          + "or a run folder)");
      return;
    }
    Path model = Path.of(modelValue.toString());
    Object checkpoint = properties.get("checkpoint");
    try {
      SavedModelGenerator generator = SavedModelGenerator.open(name, model,
          checkpoint == null ? null : checkpoint.toString(), runner);
      Generator.Model m = generator.model();
      Dictionary<String, Object> service = new Hashtable<>();
      service.put(Generator.NAME, name);
      service.put(Generator.ARCHITECTURE, m.architecture());
      service.put(Generator.STEP, m.step());
      service.put(Generator.SAMPLE_SHAPE, m.sampleShape().toArray(new Long[0]));
      service.put(Generator.CLASSES, m.classes().toArray(new String[0]));
      service.put("model", model.toString());
      unload(pid); // the old model goes once the new one is ready: callers wait no longer than that
      loaded.put(pid, new Loaded(model.toString(), generator, context.registerService(Generator.class, generator,
          service)));
    } catch (Exception e) {
      unload(pid);
      fail(pid, "generator '" + name + "' could not load " + model + ": " + (e.getMessage() == null ? e.toString()
          : e.getMessage()));
    }
  }

  private void fail(String pid, String message) {
    failures.put(pid, message);
    System.err.println("warning: " + message); // where a host without a log service still sees it
  }

  @Override
  public void deleted(String pid) {
    unload(pid);
    failures.remove(pid);
  }

  /** The generators registered now, by configuration. */
  Map<String, Loaded> loaded() {
    return Map.copyOf(loaded);
  }

  /** Why configurations failed, one sentence each. */
  List<String> failures() {
    return List.copyOf(failures.values());
  }

  private void unload(String pid) {
    Loaded old = loaded.remove(pid);
    if (old != null) {
      try {
        old.registration().unregister();
      } catch (IllegalStateException e) {
        // already gone with the bundle
      }
      old.generator().close();
    }
  }

  @Deactivate
  void deactivate() {
    loaded.keySet().forEach(this::unload);
  }
}
