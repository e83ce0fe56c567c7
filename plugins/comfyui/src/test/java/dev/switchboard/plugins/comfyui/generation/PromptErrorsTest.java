package dev.switchboard.plugins.comfyui.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The answers below are ComfyUI 0.3.64's, as recorded (testkit fixtures), cut to what the messages use. */
final class PromptErrorsTest {

    @Test
    void aDanglingLinkNamesTheNodeAndTheMissingOne() {
        JsonObject answer = JsonParser.parseString("{\"error\":{\"type\":\"prompt_outputs_failed_validation\","
                + "\"message\":\"Prompt outputs failed validation\",\"details\":\"Exception when validating node:"
                + " '9'\",\"extra_info\":{}},\"node_errors\":{\"3\":{\"errors\":[{\"type\":"
                + "\"exception_during_validation\",\"message\":\"Exception when validating node\",\"details\":"
                + "\"'9'\",\"extra_info\":{\"exception_type\":\"KeyError\",\"traceback\":[]}}],"
                + "\"dependent_outputs\":[\"3\"],\"class_type\":\"SaveImage\"}}}").getAsJsonObject();

        assertThat(PromptErrors.refusal(answer)).isEqualTo("ComfyUI errored: Prompt outputs failed validation:"
                + " Exception when validating node: '9'. Node 3 (SaveImage): Exception when validating node: '9'.");
    }

    @Test
    void aNodeErrorWithoutReasonsStillNamesTheNode() {
        assertThat(PromptErrors.refusal(json("{'error':'boom','node_errors':{'5':{'class_type':'X'}}}")))
                .isEqualTo("ComfyUI errored: boom. Node 5 (X) is invalid.");
    }

    @Test
    void anExecutionErrorIsTheExceptionMessage() {
        assertThat(PromptErrors.executionError(json("{'node_id':'2','node_type':'ImageSharpen','exception_message':"
                + "'Argument #4: Padding size should be less than the corresponding input dimension\\n'}")))
                .isEqualTo("ComfyUI execution error: Argument #4: Padding size should be less than the corresponding"
                        + " input dimension");
        assertThat(PromptErrors.executionError(json("{'node_id':'2','node_type':'ImageSharpen'}")))
                .isEqualTo("ComfyUI execution error: node 2 (ImageSharpen) failed");
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text.replace('\'', '"')).getAsJsonObject();
    }
}
