package io.katacc.verity.layer;

import io.katacc.verity.hashtree.VerityParams;
import java.nio.file.Path;

/** A built layer: {@code image} holds the EROFS bytes [0, verity.dataBytes()) then the verity hash area. */
public record LayerImage(Path image, VerityParams verity, long inodes) {
}
