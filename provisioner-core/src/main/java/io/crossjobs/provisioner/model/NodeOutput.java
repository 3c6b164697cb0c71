package io.crossjobs.provisioner.model;

/** Output bytes of one node starting at byte {@code offset} of its whole output. */
public record NodeOutput(long offset, byte[] data) {

    public static NodeOutput empty(long offset) { return new NodeOutput(offset, new byte[0]); }

}
