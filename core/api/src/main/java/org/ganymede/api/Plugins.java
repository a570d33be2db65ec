package org.ganymede.api;

/** Service properties of Ganymede plug-in services. */
public final class Plugins {
  /** The name an experiment file uses to select the service, e.g. {@code dcgan}. */
  public static final String NAME = "name";
  /** One line that says what the service is, shown by {@code ganymede list}. */
  public static final String DESCRIPTION = "description";

  /**
   * On an architecture: the loss an experiment gets when it names none ({@code least-squares} for
   * CycleGAN, say); without it, {@code non-saturating}.
   */
  public static final String DEFAULT_LOSS = "default.loss";

  /**
   * On a dataset provider: the conditions its data can carry, {@code class} for class labels,
   * {@code image} for pairs of a condition image and a target (a property of several values for
   * both). The engine lists these datasets when a conditional architecture gets data without the
   * condition it needs.
   */
  public static final String CONDITIONS = "conditions";

  private Plugins() {}
}
