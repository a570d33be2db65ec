package org.ganymede.api;

/** Service properties every Ganymede plug-in service carries. */
public final class Plugins {
  /** The name an experiment file uses to select the service, e.g. {@code dcgan}. */
  public static final String NAME = "name";
  /** One line that says what the service is, shown by {@code ganymede list}. */
  public static final String DESCRIPTION = "description";

  private Plugins() {}
}
