"""Reverse-mode automatic differentiation on scalars, and a tiny neural network on top of it.

In the spirit of Karpathy's micrograd (github.com/karpathy/micrograd, 2020), written anew for
docs/micrograd.md. Each Value keeps the Values it was computed from with the local derivative
d(self)/d(parent), worked out in the forward pass; backward() walks the graph from the output
down and applies the chain rule, parent.grad += d(self)/d(parent) * self.grad. The += sums one
term per use of a Value, as the derivative of the output sums over every path. As in PyTorch,
leaf gradients accumulate over backward() calls until reset. tests/test_micrograd.py checks
values and gradients against torch.autograd (float64) on random graphs with shared nodes.

>>> x = Value(3.0)
>>> y = x * x + x          # x is used three times
>>> y.backward()
>>> y.data, x.grad         # 3*3 + 3, and dy/dx = 2x + 1
(12.0, 7.0)
"""
import math
import random


# --8<-- [start:value]
class Value:
    __slots__ = ("data", "grad", "parents")     # millions of small objects: no per-object dict

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0              # d(output)/d(self), filled in by backward()
        self.parents = parents       # ((parent, d self / d parent), ...)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __pow__(self, k):            # k is a plain number, not a Value
        return Value(self.data ** k, ((self, k * self.data ** (k - 1)),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, ((self, e),))                   # d e^x = e^x

    def log(self):
        return Value(math.log(self.data), ((self, 1 / self.data),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, ((self, 1 - t * t),))           # d tanh x = 1 - tanh^2 x

    def relu(self):
        return Value(max(self.data, 0.0), ((self, float(self.data > 0)),))

    def __neg__(self): return self * -1
    def __sub__(self, other): return self + (-other)
    def __truediv__(self, other): return self * other ** -1
    def __radd__(self, other): return self + other
    def __rmul__(self, other): return self * other
    def __rsub__(self, other): return Value(other) - self
    def __rtruediv__(self, other): return Value(other) / self
# --8<-- [end:value]

    # --8<-- [start:backward]
    def backward(self):
        order = topological_order(self)          # every Value after the ones it was computed from
        for v in order:
            if v.parents:
                v.grad = 0.0                     # computed Values start afresh; leaves accumulate
        self.grad += 1.0                         # d self / d self
        for v in reversed(order):                # output first: v.grad is complete when we reach v
            for parent, local in v.parents:
                parent.grad += local * v.grad    # chain rule; += sums over every use of parent
    # --8<-- [end:backward]

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


# --8<-- [start:topological-order]
def topological_order(root):
    """Values reachable from root, each after all of its parents (iterative depth-first search)."""
    order, done, stack = [], set(), [(root, False)]
    while stack:
        v, parents_done = stack.pop()
        if parents_done:
            order.append(v)
        elif v not in done:
            done.add(v)
            stack.append((v, True))              # come back to v after its parents
            stack.extend((p, False) for p, _ in v.parents)
    return order
# --8<-- [end:topological-order]


# --8<-- [start:mlp]
class Neuron:

    def __init__(self, n_in, nonlinear, rng):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(n_in)]
        self.b = Value(0.0)
        self.nonlinear = nonlinear

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)   # w . x + b
        return act.tanh() if self.nonlinear else act

    def parameters(self):
        return self.w + [self.b]


class Layer:

    def __init__(self, n_in, n_out, nonlinear, rng):
        self.neurons = [Neuron(n_in, nonlinear, rng) for _ in range(n_out)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MLP:
    """Fully connected layers, tanh between them, the last one linear; weights U(-1, 1) from seed."""

    def __init__(self, sizes, seed=0):
        rng = random.Random(seed)
        last = len(sizes) - 2
        self.layers = [Layer(a, b, i < last, rng) for i, (a, b) in enumerate(zip(sizes, sizes[1:]))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]
# --8<-- [end:mlp]

