/**
 * A stand-in for AUTOMATIC1111's Stable Diffusion WebUI started with {@code --api}: its {@code /sdapi/v1/}
 * routes over a real socket, for tests of backend types that drive an SD-WebUI.
 */
package dev.switchboard.testkit.sdwebui;
