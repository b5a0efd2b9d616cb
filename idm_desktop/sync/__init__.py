"""The desktop's half of sync protocol v1 (DESIGN §5): pull, blobs, outbox push, submit,
conflicts and offline bundles. Qt-free; imports core, storage and protocol only.

:mod:`.client` is the typed protocol client (every route once, over :mod:`.transport`'s retries);
:mod:`.engine`, :mod:`.bundles` and :mod:`.blobs` use only it."""
