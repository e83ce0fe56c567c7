package dev.switchboard.server.routes.outputs;

import static java.util.Objects.requireNonNull;

import dev.switchboard.server.http.RouteFamilyModule;
import dev.switchboard.server.outputs.OutputGallery;

/** The output routes: ListOutputs, over the gallery of the server's outputs folder. */
public final class OutputRoutesModule extends RouteFamilyModule {
    private final OutputGallery gallery;

    /** @param gallery the gallery of the outputs folder the server saves into */
    public OutputRoutesModule(OutputGallery gallery) {
        this.gallery = requireNonNull(gallery, "gallery is null");
    }

    @Override
    protected void configureRoutes() {
        bind(OutputGallery.class).toInstance(gallery);
        route(ListOutputsRoute.class);
    }
}
