package org.ganymede.api;

/** A parameter of an experiment is missing, unknown, of the wrong type or out of range. */
public class ParameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ParameterException(String message) {
    super(message);
  }
}
