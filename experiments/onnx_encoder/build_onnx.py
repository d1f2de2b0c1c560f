"""Build sentence-encoder ONNX graphs by hand (onnx.helper) from safetensors weights.

usage: venv/bin/python build_onnx.py minilm|mpnet  SRC_DIR  OUT.onnx  [--external]

Graph inputs : input_ids int64 [B,T], attention_mask int64 [B,T]
Graph output : embedding float32 [B,D]  (mean pooling over the mask, then x / max(|x|, 1e-12))
- bert  : word + position(0..T-1) + token_type[0] embeddings, LayerNorm, post-LN layers.
- mpnet : word + position(cumsum(ids != pad) * (ids != pad) + pad) embeddings, LayerNorm;
          relative position bias (32 buckets, max_distance 128, positions 0..T-1, same for every
          row as in transformers) = Gather(rel_bias_table, bucket_table[:T,:T]) built in-graph
          from a precomputed int64 bucket table (max_pos x max_pos).
"""
from __future__ import annotations

import json
import math
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

OPSET = 17


class G:
    def __init__(self):
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, p="t"):
        self.n += 1
        return f"{p}_{self.n}"

    def const(self, arr, p="c"):
        nm = self.name(p)
        # (not np.ascontiguousarray: it makes 0-d arrays 1-d, which breaks Range and Slice)
        self.inits.append(numpy_helper.from_array(np.array(arr, copy=True, order="C"), nm))
        return nm

    def op(self, op_type, inputs, p=None, **attrs):
        out = self.name(p or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], **attrs))
        return out


def i64(*v):
    return np.array(v, dtype=np.int64)


def layer_norm(g, x, w, b, eps):
    return g.op("LayerNormalization", [x, g.const(w), g.const(b)], axis=-1, epsilon=eps)


def linear(g, x, w, b):
    # PyTorch layout: w is [out, in]
    return g.op("Add", [g.op("MatMul", [x, g.const(w.T.astype(np.float32))]), g.const(b)])


def gelu(g, x):
    # exact erf GELU: 0.5 * x * (1 + erf(x / sqrt 2))
    e = g.op("Erf", [g.op("Div", [x, g.const(np.array(math.sqrt(2.0), np.float32))])])
    one = g.const(np.array(1.0, np.float32))
    half = g.const(np.array(0.5, np.float32))
    return g.op("Mul", [g.op("Mul", [x, half]), g.op("Add", [e, one])])


def attention(g, x, q, k, v, heads, dh, mask_bias, pos_bias=None):
    def split(t):  # [B,T,D] -> [B,T,H,dh]
        return g.op("Reshape", [t, g.const(i64(0, 0, heads, dh))])

    Q = g.op("Transpose", [split(q)], perm=[0, 2, 1, 3])  # B,H,T,dh
    K = g.op("Transpose", [split(k)], perm=[0, 2, 3, 1])  # B,H,dh,T
    V = g.op("Transpose", [split(v)], perm=[0, 2, 1, 3])
    s = g.op("MatMul", [Q, K])
    s = g.op("Mul", [s, g.const(np.array(1.0 / math.sqrt(dh), np.float32))])
    if pos_bias is not None:
        s = g.op("Add", [s, pos_bias])
    s = g.op("Add", [s, mask_bias])
    p = g.op("Softmax", [s], axis=-1)
    c = g.op("Transpose", [g.op("MatMul", [p, V])], perm=[0, 2, 1, 3])
    return g.op("Reshape", [c, g.const(i64(0, 0, heads * dh))])


def relative_bucket_table(n, num_buckets=32, max_distance=128):
    """transformers' MPNet _relative_position_bucket for all (i, j) in n x n (float64 log like TF).

    PyTorch computes the log in float32; for |rel| < 512 both give the same buckets (checked)."""
    ctx = np.arange(n)[:, None]
    mem = np.arange(n)[None, :]
    rel = mem - ctx
    ret = np.zeros_like(rel)
    nb = num_buckets // 2
    m = -rel
    ret += (m < 0).astype(np.int64) * nb
    m = np.abs(m)
    max_exact = nb // 2
    is_small = m < max_exact
    with np.errstate(divide="ignore"):
        large = max_exact + (np.log(m / max_exact) / math.log(max_distance / max_exact)
                             * (nb - max_exact)).astype(np.int64)
    large = np.minimum(large, nb - 1)
    ret += np.where(is_small, m, large)
    return ret.astype(np.int64)


def build(kind, src, out, external=False):
    with open(f"{src}/config.json", encoding="utf-8") as f:
        cfg = json.load(f)
    W = load_file(f"{src}/model.safetensors")
    D, H = cfg["hidden_size"], cfg["num_attention_heads"]
    dh, L, eps = D // H, cfg["num_hidden_layers"], float(cfg["layer_norm_eps"])
    g = G()
    ids, am = "input_ids", "attention_mask"

    # masks
    maskf = g.op("Cast", [am], to=TensorProto.FLOAT)                       # B,T
    mask4 = g.op("Unsqueeze", [maskf, g.const(i64(1, 2))])                 # B,1,1,T
    # (1 - mask) * -10000 (what transformers' TF BERT uses; TF MPNet's dtype.min gives the same)
    mask_bias = g.op("Mul", [g.op("Sub", [g.const(np.array(1.0, np.float32)), mask4]),
                             g.const(np.array(-10000.0, np.float32))])

    seqlen = g.op("Gather", [g.op("Shape", [ids]), g.const(np.array(1, np.int64))],
                  axis=0)  # a scalar
    emb = g.op("Gather", [g.const(W["embeddings.word_embeddings.weight"]), ids], axis=0)
    pos_bias = None
    if kind == "minilm":
        pos_tab = (W["embeddings.position_embeddings.weight"]
                   + W["embeddings.token_type_embeddings.weight"][0])
        rng = g.op("Range", [g.const(np.array(0, np.int64)), seqlen,
                             g.const(np.array(1, np.int64))])
        emb = g.op("Add", [emb, g.op("Gather", [g.const(pos_tab), rng], axis=0)])
        emb = layer_norm(g, emb, W["embeddings.LayerNorm.weight"],
                         W["embeddings.LayerNorm.bias"], eps)
        names = dict(q="attention.self.query", k="attention.self.key", v="attention.self.value",
                     o="attention.output.dense", ln1="attention.output.LayerNorm")
    else:
        pad = int(cfg["pad_token_id"])
        notpad = g.op("Cast", [g.op("Not", [g.op("Equal", [ids, g.const(np.array(pad,
                                                                                 np.int64))])])],
                      to=TensorProto.INT64)
        cs = g.op("CumSum", [notpad, g.const(np.array(1, np.int64))])
        pos_ids = g.op("Add", [g.op("Mul", [cs, notpad]), g.const(np.array(pad, np.int64))])
        positions = g.const(W["embeddings.position_embeddings.weight"])
        emb = g.op("Add", [emb, g.op("Gather", [positions, pos_ids], axis=0)])
        emb = layer_norm(g, emb, W["embeddings.LayerNorm.weight"],
                         W["embeddings.LayerNorm.bias"], eps)
        # relative position bias [1,H,T,T], computed once, shared by every layer
        maxp = cfg["max_position_embeddings"]
        table = relative_bucket_table(maxp, cfg.get("relative_attention_num_buckets", 32))
        z = g.const(i64(0, 0))
        ends = g.op("Concat", [g.op("Unsqueeze", [seqlen, g.const(i64(0))])] * 2, axis=0)
        bk = g.op("Slice", [g.const(table), z, ends, g.const(i64(0, 1))])           # T,T
        bias_table = g.const(W["encoder.relative_attention_bias.weight"])
        vals = g.op("Gather", [bias_table, bk], axis=0)  # T,T,H
        pos_bias = g.op("Unsqueeze", [g.op("Transpose", [vals], perm=[2, 0, 1]), g.const(i64(0))])
        names = dict(q="attention.attn.q", k="attention.attn.k", v="attention.attn.v",
                     o="attention.attn.o", ln1="attention.LayerNorm")

    h = emb
    for i in range(L):
        p = f"encoder.layer.{i}."

        def lw(n, p=p):
            return W[p + n + ".weight"], W[p + n + ".bias"]

        q, k, v = (linear(g, h, *lw(names[t])) for t in "qkv")
        ctx = attention(g, h, q, k, v, H, dh, mask_bias, pos_bias)
        a = layer_norm(g, g.op("Add", [linear(g, ctx, *lw(names["o"])), h]), *lw(names["ln1"]),
                       eps)
        inter = gelu(g, linear(g, a, *lw("intermediate.dense")))
        h = layer_norm(g, g.op("Add", [linear(g, inter, *lw("output.dense")), a]),
                       *lw("output.LayerNorm"), eps)

    # mean pooling over the mask, then L2 normalise (sentence-transformers' Normalize)
    m3 = g.op("Unsqueeze", [maskf, g.const(i64(2))])                          # B,T,1
    summed = g.op("ReduceSum", [g.op("Mul", [h, m3]), g.const(i64(1))], keepdims=0)
    counts = g.op("Max", [g.op("ReduceSum", [m3, g.const(i64(1))], keepdims=0),
                          g.const(np.array(1e-9, np.float32))])
    mean = g.op("Div", [summed, counts])
    norm = g.op("Max", [g.op("ReduceL2", [mean], axes=[1], keepdims=1),
                        g.const(np.array(1e-12, np.float32))])
    out_name = g.op("Div", [mean, norm])
    g.nodes.append(helper.make_node("Identity", [out_name], ["embedding"]))

    graph = helper.make_graph(
        g.nodes, f"{kind}_sentence_encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", D])],
        g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="build_onnx.py")
    model.ir_version = 8  # onnxruntime 1.16 reads IR <= 9
    onnx.checker.check_model(model)
    if external:  # weights in OUT.data beside the graph: ORT holds one copy (about half the RSS)
        onnx.save(model, out, save_as_external_data=True, all_tensors_to_one_file=True,
                  location=out.rsplit("/", 1)[-1] + ".data", size_threshold=1024)
    else:
        onnx.save(model, out)
    size = sum(t.ByteSize() for t in g.inits) / 1e6
    print(f"wrote {out}: {len(g.nodes)} nodes, {size:.1f} MB weights")


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2], sys.argv[3], external="--external" in sys.argv[4:])
