"""Test helpers: a tiny random causal LM with a locally built tokenizer (no hub downloads, < 1 s to build).

The model is random, so its text is noise; it exercises the real transformers generation path (chat template,
batching, stop strings, budgets, training steps) at toy size.
"""

from __future__ import annotations

from pathlib import Path

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]

_CORPUS = [
    "module top(input clk, input rst, input [7:0] a, output reg [7:0] q);",
    "always @(posedge clk) begin if (rst) q <= 0; else q <= q + a; end endmodule",
    "assign y = a & b | c ^ d; wire [3:0] w; reg state; localparam IDLE = 0;",
    "Write a Verilog module. The answer is a fenced verilog block. think about the interface first.",
    "```verilog\nmodule TopModule(input a, output b); assign b = ~a; endmodule\n```",
    "system user assistant You are a helpful hardware design assistant.",
]


def tiny_tokenizer(vocab_size: int = 400):
    """A byte-level BPE tokenizer trained on a few lines, with ChatML and think tokens and a chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from .models import CHATML_TEMPLATE

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(_CORPUS, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                   bos_token=None, unk_token=None)
    fast.chat_template = CHATML_TEMPLATE
    return fast


def tiny_test_model(tmp_path: str | Path, arch: str = "llama", seed: int = 0) -> Path:
    """Save a tiny random ``llama`` or ``gpt2`` model and its tokenizer under ``tmp_path/tiny-<arch>``; return the dir.

    Load it with ``hdlgen.models.load_causal_lm(str(path))`` or ``AutoModelForCausalLM.from_pretrained(path)``.
    """
    import torch
    from transformers import AutoModelForCausalLM, GPT2Config, LlamaConfig

    out = Path(tmp_path) / f"tiny-{arch}"
    tok = tiny_tokenizer()
    n = len(tok)
    common = dict(vocab_size=n, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                  bos_token_id=tok.eos_token_id)
    if arch == "llama":
        cfg = LlamaConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                          num_key_value_heads=2, max_position_embeddings=2048, tie_word_embeddings=True, **common)
    elif arch == "gpt2":
        cfg = GPT2Config(n_embd=32, n_layer=2, n_head=4, n_positions=2048, **common)
    else:
        raise ValueError(f"arch must be 'llama' or 'gpt2', got {arch!r}")
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(cfg)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out
