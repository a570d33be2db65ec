/**
 * The service provider interface of Ganymede. Plug-in bundles implement these interfaces and
 * register them as OSGi services with a {@value org.ganymede.api.Plugins#NAME} property; the
 * engine looks them up by that name when it builds a run.
 */
@Version("2.6.0")
package org.ganymede.api;

import org.osgi.annotation.versioning.Version;
