"""The graph under a Symbol: nodes (a variable, or an operator applied to earlier nodes' outputs)
and the depth-first order MXNet lists them in."""
from __future__ import annotations

# operators whose node has more outputs than a Symbol shows: MXNet counts them all in the JSON's
# node_row_ptr (BatchNorm keeps its batch mean and variance, Dropout its mask)
_ALL_OUTPUTS = {"BatchNorm": 3, "Dropout": 2, "LayerNorm": 3, "InstanceNorm": 3, "GroupNorm": 3,
                "_npx_batch_norm": 3, "_npx_dropout": 2, "_npx_layer_norm": 3, "CTCLoss": 2,
                "_contrib_SyncBatchNorm": 3, "BatchNorm_v1": 3, "_contrib_BatchNormWithReLU": 4,
                "BilinearSampler": 2, "Correlation": 3, "GridGenerator": 2, "LRN": 2,
                "_contrib_MultiProposal": 2, "_contrib_Proposal": 2, "ROIPooling": 2,
                "SpatialTransformer": 3, "_contrib_box_nms": 2, "sort": 2, "_linalg_slogdet": 4,
                "L2Normalization": 2, "_linalg_det": 3}
# the layouts MKL-DNN pools in (channels first); a channels-last max pooling keeps no workspace
_MKLDNN_POOL_LAYOUTS = frozenset({"None", "NCW", "NCHW", "NCDHW"})
# operators that show one of their outputs yet, naming none, number it (ctcloss0_output0)
_NUMBERED_OUTPUTS = frozenset({"CTCLoss", "_contrib_box_nms", "sort", "_linalg_det"})
# operators whose outputs MXNet names by role rather than by number (list_outputs)
_OUTPUT_NAMES = {"BatchNorm": ("output", "mean", "var"),
                 "_contrib_SyncBatchNorm": ("output", "mean", "var"),
                 "BatchNorm_v1": ("output", "mean", "var"), "make_loss": ("loss",),
                 "_contrib_BatchNormWithReLU": ("output", "mean", "var"),
                 "LayerNorm": ("output", "mean", "std"),
                 "RNN": ("output", "state_output", "statecell_output"),
                 "_contrib_MultiBoxTarget": ("loc_target", "loc_mask", "cls_target"),
                 "_contrib_hawkesll": ("output", "out_state")}


class Node:
    """One graph node: ``op`` None for a variable; ``inputs`` are ``(node, output index)``;
    ``subgraphs`` the bodies of a control-flow node (each a list of heads), as MXNet's JSON."""

    __slots__ = ("_parsed", "attrs", "inputs", "name", "num_outputs", "op", "subgraphs")

    def __init__(self, op, name: str, attrs: dict | None = None, inputs=(), num_outputs: int = 1,
                 subgraphs=()):
        self.op, self.name = op, name
        self.attrs = dict(attrs or {})
        self.inputs = list(inputs)
        self.num_outputs = num_outputs
        self.subgraphs = list(subgraphs)
        self._parsed = None  # (the attributes it was parsed from, the parsed attributes)

    @property
    def is_variable(self) -> bool:
        """True for a variable (MXNet's op ``null``)."""
        return self.op is None

    def stored_outputs(self) -> int:
        """The number of outputs MXNet keeps for this node (node_row_ptr's step)."""
        if self.op in ("Pooling", "_npx_pooling") and self.attrs.get("pool_type", "max") == "max" \
                and self.attrs.get("layout", "None") in _MKLDNN_POOL_LAYOUTS:
            return 2  # max pooling keeps its workspace (MXNet 1.9.1's CPU build with MKL-DNN)
        return max(self.num_outputs, _ALL_OUTPUTS.get(self.op, 1))

    def output_name(self, index: int) -> str:
        """``fc1_output``; ``split0_output1`` for one of several outputs; a variable's name."""
        if self.is_variable:
            return self.name
        if self.op in _OUTPUT_NAMES:
            return f"{self.name}_{_OUTPUT_NAMES[self.op][index]}"
        if self.num_outputs == 1 and self.op not in _NUMBERED_OUTPUTS:
            return f"{self.name}_output"
        return f"{self.name}_output{index}"

    def params(self) -> dict:
        """The operator's attributes, without MXNet's ``__key__`` annotations."""
        return {k: v for k, v in self.attrs.items() if not k.startswith("__")}


def topo_order(heads) -> list:
    """The nodes reachable from ``heads`` (``(node, index)`` pairs), inputs before users, in
    MXNet's depth-first post-order."""
    order, seen = [], set()
    for head, _ in heads:
        stack = [(head, iter(head.inputs))]
        if id(head) in seen:
            continue
        seen.add(id(head))
        while stack:
            node, pending = stack[-1]
            for child, _ in pending:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child.inputs)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def substitute(heads, replace: dict) -> list:
    """Copies of the nodes under ``heads`` with the variables named in ``replace`` swapped
    for other ``(node, index)`` outputs; the original graph is left as it is."""
    copies = {}
    for node in topo_order(heads):
        if node.is_variable:
            copies[id(node)] = replace.get(node.name, (node, 0))
            continue
        inputs = [copies[id(n)] if n.is_variable else (copies[id(n)][0], i)
                  for n, i in node.inputs]
        copies[id(node)] = (Node(node.op, node.name, node.attrs, inputs, node.num_outputs,
                                 node.subgraphs), 0)
    return [copies[id(n)] if n.is_variable else (copies[id(n)][0], i) for n, i in heads]
