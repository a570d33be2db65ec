/**
 * Graph-building helpers that architectures share: layers with their variables, weight
 * initialisation, image-to-image layers, StyleGAN2's blocks, class-conditional layers, spectral
 * normalisation, the U-Net and PatchGAN of image-to-image models, the two-player and
 * class-conditional GAN wirings, Adam, moving averages, and the gradients TensorFlow's C++
 * registry lacks.
 */
@Version("1.7.0")
package org.ganymede.nn;

import org.osgi.annotation.versioning.Version;
