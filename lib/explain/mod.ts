/**
 * Rendering a toolchain selection for people (prose, optional colour) and
 * machines (the Explanation object is the JSON form).
 *
 * @module
 */

export { type RenderOptions, renderProse } from "./render.ts";
