/**
 * Graph-building helpers that architectures share: layers with their variables, weight
 * initialisation, the two-player GAN wiring, StyleGAN2's blocks, and the gradients TensorFlow's C++
 * registry lacks.
 */
@Version("1.1.0")
package org.ganymede.nn;

import org.osgi.annotation.versioning.Version;
