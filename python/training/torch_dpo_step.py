"""Refinery's DPO step against the same step in PyTorch (Python), same config, weights, batch and thread count.

Usage: torch_dpo_step.py EXCHANGE_DIR [--threads N]
EXCHANGE_DIR: what DpoStepBench wrote (dpo.json with Refinery's timings and losses, weights.f32). Runs the step,
from the same initial weights on the same batch, with two PyTorch models:
  plain:        a hand-written module with the port's operations (adjacent-pair RoPE on GGUF-ordered Q/K, explicit
                softmax attention with an additive causal mask, repeat_interleave for grouped-query attention);
  transformers: transformers' LlamaForCausalLM (SDPA attention, rotate-half RoPE; Q/K rows un-permuted from GGUF's
                order, as transformers does when it loads a GGUF), what a Python user would train.
Each step: zero grads, forward on chosen + rejected (one batch), summed response log-probs, sigmoid DPO loss
(-logsigmoid(beta * h), TRL's) against the precomputed reference log-probs, mean over pairs, backward,
clip_grad_norm_, AdamW (torch.optim.AdamW, Refinery's learning-rate schedule), loss.item(). Warm-up steps are
excluded from the times. Prints one JSON object: config, batch, ms/step of each implementation, ratios
Refinery / PyTorch, and the largest difference between Refinery's and each PyTorch run's per-step losses (the
check that the three compute the same thing).
Needs the benchmark environment .venv-torch (python/training/install-torch.sh), not the CI one.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_weights(exchange_dir, spec):
    flat = np.fromfile(os.path.join(exchange_dir, "weights.f32"), dtype="<f4")
    weights = {}
    for tensor in spec["tensors"]:
        size = int(np.prod(tensor["shape"]))
        weights[tensor["name"]] = torch.from_numpy(flat[tensor["offset"]:tensor["offset"] + size].copy()).reshape(
            tensor["shape"])
    return weights


class PlainLlama(torch.nn.Module):
    """The port's LlamaModel, operation for operation, with GGUF tensor names."""

    def __init__(self, config, weights, sequence_length):
        super().__init__()
        self.config = config
        self.params = torch.nn.ParameterDict(
            {name.replace(".", "__"): torch.nn.Parameter(w.clone()) for name, w in weights.items()})
        d = config["hiddenSize"] // config["heads"]
        half = d // 2
        t = np.arange(sequence_length, dtype=np.float64)[:, None]
        i = np.arange(half, dtype=np.float64)[None, :]
        angle = t * np.power(config["ropeTheta"], -2.0 * i / d)
        self.register_buffer("cos", torch.from_numpy(np.cos(angle).astype(np.float32)))
        self.register_buffer("sin", torch.from_numpy(np.sin(angle).astype(np.float32)))
        mask = np.triu(np.full((sequence_length, sequence_length), -1e9, dtype=np.float32), k=1)
        self.register_buffer("mask", torch.from_numpy(mask))

    def p(self, name):
        return self.params[name.replace(".", "__")]

    def rms_norm(self, x, weight):
        return x / (x.square().mean(-1, keepdim=True) + self.config["rmsEpsilon"]).sqrt() * weight

    def rotate(self, x):
        b, h, t, d = x.shape
        pairs = x.reshape(b, h, t, d // 2, 2)
        even, odd = pairs[..., 0], pairs[..., 1]
        cos, sin = self.cos[:t], self.sin[:t]
        return torch.stack((even * cos - odd * sin, even * sin + odd * cos), -1).reshape(b, h, t, d)

    def forward(self, ids):
        c = self.config
        b, t = ids.shape
        heads, kv_heads = c["heads"], c["kvHeads"]
        d = c["hiddenSize"] // heads
        x = self.p("token_embd.weight")[ids]
        for layer in range(c["layers"]):
            pre = "blk.%d." % layer
            h = self.rms_norm(x, self.p(pre + "attn_norm.weight"))
            q = (h @ self.p(pre + "attn_q.weight").t()).reshape(b, t, heads, d).transpose(1, 2)
            k = (h @ self.p(pre + "attn_k.weight").t()).reshape(b, t, kv_heads, d).transpose(1, 2)
            v = (h @ self.p(pre + "attn_v.weight").t()).reshape(b, t, kv_heads, d).transpose(1, 2)
            q, k = self.rotate(q), self.rotate(k)
            if kv_heads != heads:
                k = k.repeat_interleave(heads // kv_heads, dim=1)
                v = v.repeat_interleave(heads // kv_heads, dim=1)
            scores = (q @ k.transpose(2, 3)) / math.sqrt(d) + self.mask[:t, :t]
            out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, heads * d)
            x = x + out @ self.p(pre + "attn_output.weight").t()
            h = self.rms_norm(x, self.p(pre + "ffn_norm.weight"))
            gate = h @ self.p(pre + "ffn_gate.weight").t()
            up = h @ self.p(pre + "ffn_up.weight").t()
            x = x + (gate * torch.sigmoid(gate) * up) @ self.p(pre + "ffn_down.weight").t()
        x = self.rms_norm(x, self.p("output_norm.weight"))
        return x @ self.p("token_embd.weight").t()


def transformers_llama(config, weights, sequence_length):
    from transformers import LlamaConfig, LlamaForCausalLM

    c = config
    hf_config = LlamaConfig(vocab_size=c["vocabSize"], hidden_size=c["hiddenSize"],
                            intermediate_size=c["intermediateSize"], num_hidden_layers=c["layers"],
                            num_attention_heads=c["heads"], num_key_value_heads=c["kvHeads"],
                            rope_theta=c["ropeTheta"], rms_norm_eps=c["rmsEpsilon"],
                            tie_word_embeddings=c["tiedEmbeddings"], max_position_embeddings=sequence_length,
                            attention_bias=False, mlp_bias=False, hidden_act="silu", use_cache=False)
    model = LlamaForCausalLM(hf_config)

    def unpermute(w, heads):
        # GGUF stores Q/K rows of each head as adjacent (re, im) pairs; transformers as two halves.
        return w.reshape(heads, w.shape[0] // heads // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)

    state = {"model.embed_tokens.weight": weights["token_embd.weight"],
             "model.norm.weight": weights["output_norm.weight"]}
    names = {"attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
             "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
             "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"}
    for layer in range(c["layers"]):
        for gguf_name, hf_name in names.items():
            w = weights["blk.%d.%s.weight" % (layer, gguf_name)]
            if gguf_name == "attn_q":
                w = unpermute(w, c["heads"])
            elif gguf_name == "attn_k":
                w = unpermute(w, c["kvHeads"])
            state["model.layers.%d.%s.weight" % (layer, hf_name)] = w
    if not c["tiedEmbeddings"]:
        state["lm_head.weight"] = weights["output.weight"]
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [m for m in missing if not (c["tiedEmbeddings"] and m == "lm_head.weight")]
    if missing or unexpected:
        raise SystemExit("Cannot load weights into LlamaForCausalLM: missing %s, unexpected %s" % (missing, unexpected))

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, ids):
            return self.inner(input_ids=ids, use_cache=False).logits

    return Logits(model)


def run(model, spec, batch):
    opt = spec["optimizer"]
    total, warmup_lr = spec["total_steps"], opt["warmupSteps"]

    def learning_rate(step):  # Refinery's AdamW.learningRate: linear warm-up, then linear decay to zero
        if step <= warmup_lr:
            return opt["learningRate"] * step / max(1, warmup_lr)
        return opt["learningRate"] * max(0.0, (total - step + 1) / max(1, total - warmup_lr))

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=opt["learningRate"], betas=(opt["beta1"], opt["beta2"]),
                                  eps=opt["epsilon"], weight_decay=opt["weightDecay"])
    ids, targets, mask, ref_chosen, ref_rejected = batch
    n = ref_chosen.shape[0]
    beta = spec["beta"]
    losses, wall, cpu = [], [], []
    for step in range(1, total + 1):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        optimizer.zero_grad(set_to_none=True)
        logits = model(ids)
        logps = (logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1) * mask).sum(1)
        h = (logps[:n] - ref_chosen) - (logps[n:] - ref_rejected)
        loss = -F.logsigmoid(beta * h).sum() / n
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, opt["maxGradNorm"])
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step)
        optimizer.step()
        losses.append(loss.item())
        wall.append((time.perf_counter() - wall_start) * 1e3)
        cpu.append((time.process_time() - cpu_start) * 1e3)
    warm = spec["warmup_steps"]
    return {"ms_per_step": statistics.mean(wall[warm:]), "median_ms_per_step": statistics.median(wall[warm:]),
            "cpu_ms_per_step": statistics.mean(cpu[warm:]), "losses": losses}


def make_batch(spec):
    """Chosen sequences first, then rejected; position t predicts t + 1; the mask covers response targets."""
    pairs = spec["pairs"]
    prompt_length = len(pairs[0]["prompt"])
    sequences = [p["prompt"] + p["chosen"] for p in pairs] + [p["prompt"] + p["rejected"] for p in pairs]
    ids = torch.tensor(sequences, dtype=torch.long)
    width = ids.shape[1]
    targets = torch.zeros_like(ids)
    targets[:, :-1] = ids[:, 1:]
    mask = torch.zeros(ids.shape, dtype=torch.float32)
    mask[:, prompt_length - 1:width - 1] = 1.0
    ref_chosen = torch.tensor([p["referenceChosen"] for p in pairs], dtype=torch.float32)
    ref_rejected = torch.tensor([p["referenceRejected"] for p in pairs], dtype=torch.float32)
    return ids, targets, mask, ref_chosen, ref_rejected


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("exchange_dir")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "1")))
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    with open(os.path.join(args.exchange_dir, "dpo.json")) as f:
        spec = json.load(f)
    weights = load_weights(args.exchange_dir, spec)
    batch = make_batch(spec)
    refinery = spec["refinery"]
    results = {}
    for name, build in (("pytorch_plain", PlainLlama), ("transformers", transformers_llama)):
        model = build(spec["config"], weights, spec["sequence_length"])
        results[name] = run(model, spec, batch)
        del model
    out = {
        "config": spec["config"],
        "batch": refinery["batch"],
        "threads": {"refinery": refinery["threads"], "torch.get_num_threads": torch.get_num_threads()},
        "load_average": {"refinery_start": refinery["load_average_at_start"], "pytorch_end": os.getloadavg()[0]},
        "versions": {"refinery": refinery["implementation"], "torch": torch.__version__,
                     "transformers": __import__("transformers").__version__},
        "warmup_steps": spec["warmup_steps"],
        "timed_steps": spec["timed_steps"],
        "ms_per_step": {"refinery": refinery["ms_per_step"], "pytorch_plain": results["pytorch_plain"]["ms_per_step"],
                        "transformers": results["transformers"]["ms_per_step"]},
        "median_ms_per_step": {"refinery": refinery["median_ms_per_step"],
                               "pytorch_plain": results["pytorch_plain"]["median_ms_per_step"],
                               "transformers": results["transformers"]["median_ms_per_step"]},
        "cpu_ms_per_step": {"refinery": refinery["cpu_ms_per_step"],
                            "pytorch_plain": results["pytorch_plain"]["cpu_ms_per_step"],
                            "transformers": results["transformers"]["cpu_ms_per_step"]},
        "ratio_refinery_over_pytorch_plain": refinery["ms_per_step"] / results["pytorch_plain"]["ms_per_step"],
        "ratio_refinery_over_transformers": refinery["ms_per_step"] / results["transformers"]["ms_per_step"],
        "cpu_ratio_refinery_over_pytorch_plain":
            refinery["cpu_ms_per_step"] / results["pytorch_plain"]["cpu_ms_per_step"],
        "cpu_ratio_refinery_over_transformers":
            refinery["cpu_ms_per_step"] / results["transformers"]["cpu_ms_per_step"],
        "first_loss": {"refinery": refinery["losses"][0], "pytorch_plain": results["pytorch_plain"]["losses"][0],
                       "transformers": results["transformers"]["losses"][0]},
        "last_loss": {"refinery": refinery["losses"][-1], "pytorch_plain": results["pytorch_plain"]["losses"][-1],
                      "transformers": results["transformers"]["losses"][-1]},
        "max_abs_loss_diff_vs_refinery": {
            name: max(abs(a - b) for a, b in zip(refinery["losses"], r["losses"])) for name, r in results.items()},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
