"""A tiny causal LM trained from scratch on CPU: a byte-level BPE tokenizer fitted to the training texts, a
small Llama, a plain SFT loop, and sampling for evaluation.

It exists to show the reward loop teaches in minutes on two cores (``benchmarks/learn_tiny.py``). Nothing is
downloaded: the tokenizer is trained here and the weights start random. The chat template is compact: the first
paragraph of the user message (the spec sentence of a synthesized problem; the header and the shared
instructions after it are dropped, the header comes back as the prefilled reply start) and the reply; it leaves
a final assistant message open, so a prefilled reply start (``prompt.prefill``) is continued.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

CHAT_TEMPLATE = (
    "{%- for m in messages -%}"
    "{%- if m['role'] == 'user' -%}{{ m['content'].split('\\n\\n')[0] }}{{ '\\n' }}"
    "{%- elif m['role'] == 'assistant' -%}{{ m['content'] }}{%- if not loop.last -%}{{ eos_token }}{%- endif -%}"
    "{%- endif -%}"
    "{%- endfor -%}"
)
EOS, PAD = "<eos>", "<pad>"


def train_tokenizer(texts: Iterable[str], vocab_size: int = 1024) -> Any:
    """A byte-level BPE tokenizer (any text encodes) fitted to ``texts``, with the chat template above."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=[PAD, EOS],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=EOS, pad_token=PAD)
    fast.chat_template = CHAT_TEMPLATE
    return fast


def new_model(vocab_size: int, *, hidden: int = 160, layers: int = 4, heads: int = 4, ffn: int = 448,
              max_len: int = 256, seed: int = 0, tok: Any = None) -> Any:
    """A small Llama with random weights (about 1.4M parameters at the defaults with a 1k vocabulary)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=vocab_size, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=layers,
                      num_attention_heads=heads, num_key_value_heads=heads, max_position_embeddings=max_len,
                      tie_word_embeddings=True,
                      pad_token_id=tok.pad_token_id if tok is not None else None,
                      eos_token_id=tok.eos_token_id if tok is not None else None,
                      bos_token_id=None)
    return LlamaForCausalLM(cfg)


def prompt_ids(tok: Any, messages: Sequence[dict[str, str]]) -> list[int]:
    """Token ids of the rendered prompt, exactly as TRL's GRPOTrainer tokenizes it."""
    return list(tok.apply_chat_template(list(messages), add_generation_prompt=True, tokenize=True,
                                        return_dict=True)["input_ids"])


def sft(model: Any, tok: Any, pairs: Sequence[tuple[Sequence[dict[str, str]], str]], *, steps: int,
        batch_size: int = 32, lr: float = 2e-3, warmup: int = 30, seed: int = 0, log: Any = None) -> list[float]:
    """Train on ``(prompt messages, completion text)`` pairs, loss on the completion (and its end token) only.
    Returns the loss per step."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    data = []
    for msgs, completion in pairs:
        p = prompt_ids(tok, msgs)
        c = tok(completion, add_special_tokens=False)["input_ids"] + [tok.eos_token_id]
        data.append((p + c, len(p)))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.98))

    def lr_at(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        frac = (step - warmup) / max(1, steps - warmup)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    model.train()
    losses = []
    for step in range(steps):
        chunk = [data[rng.randrange(len(data))] for _ in range(batch_size)]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.full((batch_size, width), tok.pad_token_id, dtype=torch.long)
        labels = torch.full((batch_size, width), -100, dtype=torch.long)
        mask = torch.zeros((batch_size, width), dtype=torch.long)
        for i, (seq, n_prompt) in enumerate(chunk):
            ids[i, :len(seq)] = torch.tensor(seq)
            labels[i, n_prompt:len(seq)] = torch.tensor(seq[n_prompt:])
            mask[i, :len(seq)] = 1
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
        if log and (step % 25 == 0 or step == steps - 1):
            log(f"sft step {step}: loss {loss:.3f}")
    model.eval()
    return losses


def iter_sample(model: Any, tok: Any, messages: Sequence[Sequence[dict[str, str]]], *, n: int, temperature: float,
                max_new_tokens: int, seed: int = 0, batch_prompts: int = 16) -> Iterator[list[str]]:
    """``n`` sampled completions per prompt (text after the prompt, special tokens dropped), yielded prompt by
    prompt as each batch of ``batch_prompts`` is generated, so a caller can judge early batches while later ones
    are sampled; the same completions as :func:`sample` with the same arguments."""
    import torch

    torch.manual_seed(seed)
    model.eval()
    side = tok.padding_side
    tok.padding_side = "left"
    try:
        for start in range(0, len(messages), batch_prompts):
            part = messages[start:start + batch_prompts]
            texts = [tok.apply_chat_template(list(m), add_generation_prompt=True, tokenize=False) for m in part]
            enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
            with torch.no_grad():
                gen = model.generate(**enc, do_sample=True, temperature=temperature, top_p=1.0, top_k=0,
                                     max_new_tokens=max_new_tokens, num_return_sequences=n,
                                     pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id)
            decoded = tok.batch_decode(gen[:, enc["input_ids"].shape[1]:], skip_special_tokens=True)
            tok.padding_side = side  # the caller's tokenizer as it was while it holds the batch
            yield from (decoded[i * n:(i + 1) * n] for i in range(len(part)))
            tok.padding_side = "left"
    finally:
        tok.padding_side = side


def sample(model: Any, tok: Any, messages: Sequence[Sequence[dict[str, str]]], *, n: int, temperature: float,
           max_new_tokens: int, seed: int = 0, batch_prompts: int = 16) -> list[list[str]]:
    """``n`` sampled completions per prompt (text after the prompt, special tokens dropped)."""
    return list(iter_sample(model, tok, messages, n=n, temperature=temperature, max_new_tokens=max_new_tokens,
                            seed=seed, batch_prompts=batch_prompts))


def save(model: Any, tok: Any, out: str | Path) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def n_params(model: Any) -> int:
    return sum(p.numel() for p in model.parameters())
