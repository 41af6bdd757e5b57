/**
 * The part of a temporary file's name that keeps it apart from another process's: the pid and a
 * random part. Not node:crypto's randomBytes: loading node:crypto costs a hook 3-10 ms. Each file
 * is created with O_EXCL or lives in a folder of its own process, so a clash fails, never mixes.
 */
export const tempSuffix = (): string => `${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
