package org.ganymede.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters an experiment gives one plug-in. Reads are typed and remember which keys the
 * plug-in asked for, so that after building the engine can reject keys nobody read and list the
 * ones that are allowed.
 */
public final class Parameters {
  private final String owner;
  private final Map<String, Object> values;
  private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

  /**
   * @param owner what the parameters belong to, for messages (e.g. {@code architecture 'dcgan'})
   * @param values the raw values from the experiment file
   */
  public Parameters(String owner, Map<String, ?> values) {
    this.owner = owner;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static Parameters empty(String owner) {
    return new Parameters(owner, Map.of());
  }

  public String owner() {
    return owner;
  }

  public Map<String, Object> asMap() {
    return values;
  }

  public boolean has(String key) {
    read.add(key);
    return values.containsKey(key);
  }

  public int intValue(String key, int fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw wrongType(key, v, "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
  }

  public long longValue(String key, long fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw wrongType(key, v, "an integer");
  }

  public double doubleValue(String key, double fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw wrongType(key, v, "a number");
      }
    }
    throw wrongType(key, v, "a number");
  }

  public boolean booleanValue(String key, boolean fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, v, "true or false");
  }

  public String stringValue(String key, String fallback) {
    Object v = get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    throw wrongType(key, v, "a string");
  }

  /** A string that must be one of {@code allowed}. */
  public String choice(String key, String fallback, List<String> allowed) {
    String v = stringValue(key, fallback);
    if (!allowed.contains(v)) {
      throw new ParameterException(
          owner + ": '" + key + "' is '" + v + "'; allowed: " + String.join(", ", allowed));
    }
    return v;
  }

  /** An integer in [min, max]. */
  public int intInRange(String key, int fallback, int min, int max) {
    int v = intValue(key, fallback);
    if (v < min || v > max) {
      throw new ParameterException(
          owner + ": '" + key + "' is " + v + "; allowed: " + min + " to " + max);
    }
    return v;
  }

  /** A number that must be strictly positive. */
  public double positive(String key, double fallback) {
    double v = doubleValue(key, fallback);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new ParameterException(owner + ": '" + key + "' is " + v + "; it must be a positive number");
    }
    return v;
  }

  /** A number that must be zero or positive. */
  public double nonNegative(String key, double fallback) {
    double v = doubleValue(key, fallback);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new ParameterException(owner + ": '" + key + "' is " + v + "; it must be zero or a positive number");
    }
    return v;
  }

  /** The keys that were given but never read. */
  public Set<String> unknownKeys() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(read);
    return unknown;
  }

  /** The keys this plug-in has read so far: the ones it allows. */
  public Set<String> knownKeys() {
    return new TreeSet<>(read);
  }

  /** Fails when a key was given that the plug-in never read. */
  public void rejectUnknownKeys() {
    Set<String> unknown = unknownKeys();
    if (!unknown.isEmpty()) {
      throw new ParameterException(owner + ": unknown parameter" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + "; allowed: "
          + (read.isEmpty() ? "none" : String.join(", ", knownKeys())));
    }
  }

  private Object get(String key) {
    read.add(key);
    return values.get(key);
  }

  private ParameterException wrongType(String key, Object v, String expected) {
    return new ParameterException(owner + ": '" + key + "' is '" + v + "'; it must be " + expected);
  }

  @Override
  public String toString() {
    return owner + " " + values;
  }
}
