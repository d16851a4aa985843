package io.katacc.integration.guestimage;

import java.time.Duration;

/** Outcome of one {@link GuestImageBuilder#build()} call: the image and whether it came from the cache. */
public record GuestImageBuild(GuestImage image, boolean cached, Duration elapsed) {}
