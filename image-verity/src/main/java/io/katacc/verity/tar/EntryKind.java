package io.katacc.verity.tar;

/** What a layer entry creates. Whiteouts arrive already translated to CHAR_DEVICE 0/0. */
public enum EntryKind { FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }
