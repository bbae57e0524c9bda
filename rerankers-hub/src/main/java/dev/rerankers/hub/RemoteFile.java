package dev.rerankers.hub;

/**
 * One file of a repository at a commit, as the Hub lists it ({@code siblings[]} of the revision
 * route with {@code blobs=true}, or an entry of the {@code trees/<commit>.json} cache file). Any
 * field but the path may be {@code null} when the server did not send it.
 *
 * @param path the repository-relative path, already validated
 * @param size the file size in bytes
 * @param blobId the git blob id (SHA-1): the ETag of a file stored in git
 * @param lfsSha256 the SHA-256 of an LFS file: its ETag and checksum
 * @param lfsSize the size of an LFS file
 */
record RemoteFile(String path, Long size, String blobId, String lfsSha256, Long lfsSize) {

  /** The name of the blob in the cache: the LFS SHA-256, else the git blob id; {@code null} if unknown. */
  String etag() {
    return lfsSha256 != null ? lfsSha256 : blobId;
  }

  /** The size the download must have, or -1 when unknown. */
  long expectedSize() {
    if (lfsSize != null) {
      return lfsSize;
    }
    return size != null ? size : -1;
  }

  /** Whether the listing gave all that the {@code trees/} cache format needs (size and blob id). */
  boolean complete() {
    return size != null && blobId != null;
  }
}
