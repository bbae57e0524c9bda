package dev.rerankers.hub;

/**
 * The kind of Hugging Face Hub repository: it decides the API route, the download URL prefix and
 * the cache folder name ({@code models--org--name}, {@code datasets--org--name}), as in Python's
 * {@code huggingface_hub}.
 */
public enum RepoType {
  /** A model repository: {@code {endpoint}/org/name}, cached as {@code models--org--name}. */
  MODEL("models", ""),
  /** A dataset repository: {@code {endpoint}/datasets/org/name}, cached as {@code datasets--org--name}. */
  DATASET("datasets", "datasets/");

  private final String plural;
  private final String urlPrefix;

  RepoType(String plural, String urlPrefix) {
    this.plural = plural;
    this.urlPrefix = urlPrefix;
  }

  /** The plural used in API routes and cache folder names: {@code "models"} or {@code "datasets"}. */
  String plural() {
    return plural;
  }

  /** The prefix before the repo id in download URLs: empty for models, {@code "datasets/"} for datasets. */
  String urlPrefix() {
    return urlPrefix;
  }

  /** The word for messages: {@code "model"} or {@code "dataset"}. */
  String word() {
    return plural.substring(0, plural.length() - 1);
  }

  /** The cache folder name of a repository, e.g. {@code models--BAAI--bge-reranker-base}. */
  String folderName(String repoId) {
    return plural + "--" + repoId.replace("/", "--");
  }
}
