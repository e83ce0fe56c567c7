package dev.switchboard.server.generation;

import java.util.List;

/**
 * The sampler and scheduler names generation accepts: ComfyUI's (SwarmUI sends ComfyUI's names behind the
 * {@code comfyui} feature flag).
 */
public final class SamplerNames {
    /** ComfyUI's samplers. */
    public static final List<String> SAMPLERS = List.of("euler", "euler_cfg_pp", "euler_ancestral", "euler_ancestral_cfg_pp",
            "heun", "heunpp2", "dpm_2", "dpm_2_ancestral", "lms", "dpm_fast", "dpm_adaptive", "dpmpp_2s_ancestral",
            "dpmpp_2s_ancestral_cfg_pp", "dpmpp_sde", "dpmpp_sde_gpu", "dpmpp_2m", "dpmpp_2m_cfg_pp", "dpmpp_2m_sde",
            "dpmpp_2m_sde_gpu", "dpmpp_3m_sde", "dpmpp_3m_sde_gpu", "ddpm", "lcm", "ipndm", "ipndm_v", "deis",
            "res_multistep", "gradient_estimation", "er_sde", "seeds_2", "seeds_3", "ddim", "uni_pc", "uni_pc_bh2");
    /** ComfyUI's schedulers. */
    public static final List<String> SCHEDULERS = List.of("normal", "karras", "exponential", "sgm_uniform", "simple",
            "ddim_uniform", "beta", "linear_quadratic", "kl_optimal");

    private SamplerNames() {
    }
}
