package dev.rerankers.hub;

/**
 * Which repository a {@link HubRepo} serves, at which revision, through which client and cache:
 * what its parts ({@link RevisionResolver}, {@link ListingFetcher}, {@link FileDownloader}, {@link
 * RepoMessages}) share.
 *
 * @param client the settings, HTTP and retries
 * @param type model or dataset
 * @param id the repository id, e.g. {@code BAAI/bge-reranker-base}
 * @param revision the branch, tag or commit asked for
 * @param cache the repository's folder in the cache
 */
record RepoAtRevision(HubClient client, RepoType type, String id, String revision, RepoCache cache) {}
