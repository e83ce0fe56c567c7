package dev.switchboard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class StoredStateTest {

    @Test
    void emptyHasCounterZeroAndNoBackends() {
        assertThat(StoredState.empty().nextId()).isZero();
        assertThat(StoredState.empty().backends()).isEmpty();
    }

    @Test
    void withersKeepTheOtherPartsIncludingUnknownFields() {
        StoredState state = SampleStates.version(1);
        StoredBackend other = StoredBackend.of(5, "t", "", true, new JsonObject());

        StoredState changed = state.withNextId(40).withBackends(List.of(other));

        assertThat(changed.nextId()).isEqualTo(40);
        assertThat(changed.backends()).containsExactly(other);
        assertThat(changed.unknownFields()).isEqualTo(state.unknownFields());
        assertThat(state.nextId()).isEqualTo(3);
    }

    @Test
    void backendsAreImmutableAndCopied() {
        List<StoredBackend> list = new ArrayList<>(List.of(StoredBackend.of(1, "t", "", true, new JsonObject())));
        StoredState state = StoredState.empty().withBackends(list);
        list.clear();

        assertThat(state.backends()).hasSize(1);
        assertThatThrownBy(() -> state.backends().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesStatesThatCouldNotBeLoadedAgain() {
        StoredBackend one = StoredBackend.of(1, "t", "a", true, new JsonObject());
        StoredBackend sameId = StoredBackend.of(1, "u", "b", true, new JsonObject());

        assertThatThrownBy(() -> StoredState.empty().withBackends(List.of(one, sameId)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1");
        assertThatThrownBy(() -> StoredState.empty().withNextId(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalityCoversCounterBackendsAndUnknownFields() {
        assertThat(SampleStates.version(2)).isEqualTo(SampleStates.version(2))
                .hasSameHashCodeAs(SampleStates.version(2));
        assertThat(SampleStates.version(2)).isNotEqualTo(SampleStates.version(3));
        JsonObject unknown = new JsonObject();
        unknown.addProperty("x", 1);
        assertThat(new StoredState(0, List.of(), unknown)).isNotEqualTo(StoredState.empty());
    }
}
