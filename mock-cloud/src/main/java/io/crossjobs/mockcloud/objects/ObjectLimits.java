package io.crossjobs.mockcloud.objects;

/**
 * Limits the core enforces for one cloud's namespace; the front end passes its cloud's documented figures.
 *
 * @param maxKeyBytes         longest object name, in UTF-8 bytes
 * @param maxSingleWriteBytes largest content one write (one PUT, one staged body) may carry
 * @param maxObjectBytes      largest object built from parts ({@link ObjectStore#concat}) or by appends
 */
public record ObjectLimits(int maxKeyBytes, long maxSingleWriteBytes, long maxObjectBytes) { }
