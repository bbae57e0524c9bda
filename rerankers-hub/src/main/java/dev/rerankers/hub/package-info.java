/**
 * Model files: local folders and the Hugging Face Hub, with a cache shared with Python's {@code
 * huggingface_hub}.
 *
 * <p>Backends get a {@link dev.rerankers.hub.ModelSource} from {@link
 * dev.rerankers.hub.ModelSource#of} and ask it for files by repository path. A local folder is
 * used as it is; anything else is a Hub repository id, resolved by a {@link
 * dev.rerankers.hub.HubClient} into {@code $HF_HUB_CACHE/models--org--name/snapshots/<commit>/},
 * downloading only the files asked for, atomically, resumably and verified. Offline mode ({@code
 * HF_HUB_OFFLINE=1}) never touches the network.
 *
 * <p>Module {@code dev.rerankers:rerankers-hub}: JDK only ({@code java.net.http}) above {@code
 * rerankers-core}, which never imports it; the local backends depend on it, API-only users do not
 * carry it.
 */
package dev.rerankers.hub;
