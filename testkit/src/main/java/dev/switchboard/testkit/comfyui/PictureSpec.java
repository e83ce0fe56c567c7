package dev.switchboard.testkit.comfyui;

/**
 * What the images flowing through a graph look like, as far as the stand-in tracks it: their size, how many a batch
 * holds, the seed that sampled them and, for {@code EmptyImage}, a plain colour.
 *
 * @param width pixels
 * @param height pixels
 * @param batch images per batch
 * @param seed the sampler's seed (0 when not sampled)
 * @param color an RGB colour filling the image, or null for the seed's pattern
 */
record PictureSpec(int width, int height, int batch, long seed, Integer color) {
    /** What a graph with no size-giving node makes. */
    static final PictureSpec FALLBACK = new PictureSpec(64, 64, 1, 0, null);

    PictureSpec {
        if (width < 1 || height < 1 || batch < 1) {
            throw new IllegalArgumentException("not a picture: " + width + "x" + height + " x" + batch);
        }
    }

    PictureSpec withSeed(long newSeed) {
        return new PictureSpec(width, height, batch, newSeed, null);
    }
}
