package dev.switchboard.plugins.comfyui.connection;

import static java.util.Objects.requireNonNull;

import dev.switchboard.api.BackendContext;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a ComfyUI backend last loaded from its ComfyUI's {@code /object_info}, and what it reports because of it: the
 * features (the base set until the first load, then with the server's path separator), the models per type and the
 * node types. Thread-safe.
 */
public final class LoadedObjectInfo {
    private final BackendContext context;
    private final AtomicReference<ObjectInfo> current = new AtomicReference<>(ObjectInfo.empty());

    /**
     * Starts empty and advertises the features every ComfyUI backend starts with.
     *
     * @param context the backend's context, which the features are reported to
     */
    public LoadedObjectInfo(BackendContext context) {
        this.context = requireNonNull(context, "context is null");
        context.setFeatures(ComfyUiFeatures.beforeLoad());
    }

    /**
     * Keeps a freshly loaded {@code /object_info} and reports what it implies: features, models and node types.
     *
     * @param info what ComfyUI listed
     * @return {@code info}
     */
    public ObjectInfo publish(ObjectInfo info) {
        current.set(requireNonNull(info, "info is null"));
        context.setModels(info.modelsByType());
        context.setNodeTypes(info.nodeTypes());
        context.setFeatures(ComfyUiFeatures.of(info));
        return info;
    }

    /**
     * Returns the last loaded {@code /object_info}.
     *
     * @return the node types and model lists; empty before the first load
     */
    public ObjectInfo get() {
        return current.get();
    }
}
