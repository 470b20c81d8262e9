"""mx.profiler: operators timed while it runs (and only then), the Chrome trace that dump()
writes, dumps()'s table in MXNet 1.9.1's layout, and the user-level objects."""
import json
import re

import pytest

import mxnp as mx
from mxnp import np, profiler
from mxnp._ops.primitive import Primitive
from mxnp._ops.program import Program
from mxnp._profiler_state import PROFILER

# MXNet 1.9.1 (mxref): the opening of dumps() and the head of each category's table
OPENING = "\nProfile Statistics:\n\tNote the difference in units for different entries.\n"
TABLE_HEAD = (
    "=================\n"
    "Name                          Total Count        Time (ms)    Min Time (ms)    Max Time (ms)"
    "    Avg Time (ms)\n"
    "----                          -----------        ---------    -------------    -------------"
    "    -------------\n")
# a row: the name in 25 columns, the count in 16, four times in 17 with 4 decimals (MXNet's
# 'dot                                     1           2.7490           2.7490 ...')
ROW = re.compile(r"^(\S.{24}|\S{25,})( {0,15}\d+)(( +\d+\.\d{4}){4})$")


@pytest.fixture(autouse=True)
def _fresh_profiler():
    plain = {cls: cls.__dict__["__call__"] for cls in (Primitive, Program)}
    yield
    profiler.set_state("stop")
    PROFILER.__init__()
    assert {cls: cls.__dict__["__call__"] for cls in plain} == plain


def _trace(path) -> list:
    with open(path) as f:
        return json.load(f)["traceEvents"]


def _ops(events) -> list:
    return [(e["name"], e["ph"]) for e in events if e.get("cat") == "operator"]


def test_ops_run_while_profiling_are_in_the_trace_and_none_after_stop(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(profile_all=True, filename=str(path))
    x = np.array([1.0, 2.0, 3.0])
    profiler.set_state("run")
    y = np.sin(x) * 2 + x
    profiler.set_state("stop")
    np.arctan(y)  # not recorded
    profiler.dump()
    events = _trace(path)
    assert _ops(events) == [("sin", "B"), ("sin", "E"), ("multiply", "B"), ("multiply", "E"),
                            ("add", "B"), ("add", "E")]
    op = next(e for e in events if e.get("cat") == "operator")
    assert {"name", "cat", "ph", "ts", "pid", "tid"} <= set(op)
    names = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M"}
    assert names[op["pid"]] == "cpu/0"
    begins = [e["ts"] for e in events if e.get("ph") == "B"]
    ends = [e["ts"] for e in events if e.get("ph") == "E"]
    assert all(b <= e for b, e in zip(begins, ends))


def test_backward_ops_and_hybridized_programs_are_timed(tmp_path):
    path = tmp_path / "trace.json"
    x = np.array([0.5, 1.0])
    x.attach_grad()
    net = mx.gluon.nn.Dense(2, in_units=2)
    net.initialize()
    net.hybridize()
    net(np.ones((1, 2)))  # traced outside the profile
    profiler.set_config(profile_imperative=True, filename=str(path))
    profiler.set_state("run")
    with mx.autograd.record():
        y = np.sin(x).sum()
    y.backward()
    net(np.ones((1, 2)))
    profiler.dump()  # finished=True stops the profiler
    assert not PROFILER.running
    names = [n for n, ph in _ops(_trace(path)) if ph == "B"]
    assert names[:2] == ["sin", "sum"] and "cos" in names  # cos: sin's gradient rule
    assert names[-1] == "Dense"  # the whole hybridized program, one event


def test_the_op_path_is_wrapped_only_while_recording():
    plain = Primitive.__dict__["__call__"]
    profiler.set_state("run")  # not configured: MXNet records nothing
    assert Primitive.__dict__["__call__"] is plain
    profiler.set_config(profile_all=True)
    assert Primitive.__dict__["__call__"] is not plain
    profiler.pause()
    assert Primitive.__dict__["__call__"] is plain
    np.exp(np.ones(2))
    profiler.resume()
    np.log(np.ones(2))
    profiler.set_state("stop")
    assert Primitive.__dict__["__call__"] is plain
    assert [n for n, ph in _ops(PROFILER.events) if ph == "B"] == ["log"]


def test_dumps_table_is_mxnets_layout():
    profiler.set_config(profile_all=True, aggregate_stats=True)
    profiler.set_state("run")
    x = np.ones(3)
    for _ in range(3):
        x = x + 1
    np.exp(x)
    profiler.set_state("stop")
    text = profiler.dumps(sort_by="count")
    assert text.startswith(OPENING + "operator\n" + TABLE_HEAD)
    assert text.endswith("\n\n")
    rows = text[len(OPENING + "operator\n" + TABLE_HEAD):].rstrip("\n").split("\n")
    assert all(ROW.match(r) for r in rows), rows
    assert [r.split()[:2] for r in rows] == [["add", "3"], ["exp", "1"]]
    ascending = profiler.dumps(sort_by="count", ascending=True)
    assert [r.split()[0] for r in ascending.rstrip("\n").split("\n")[-2:]] == ["exp", "add"]
    stats = json.loads(profiler.dumps(format="json"))
    assert stats["Time"]["operator"]["add"]["Count"] == 3
    assert stats["Unit"] == {"Time": "ms", "Memory": "kB"}
    before = profiler.dumps()
    assert profiler.dumps(reset=True) == before  # the statistics, then cleared
    assert profiler.dumps() == OPENING


def test_dumps_is_empty_without_aggregate_stats():
    # MXNet 1.9.1 (mxref): '' when aggregate_stats was not asked for
    profiler.set_config(profile_all=True)
    profiler.set_state("run")
    np.exp(np.ones(2))
    profiler.set_state("stop")
    assert profiler.dumps() == ""


def test_domain_objects_are_recorded(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(profile_all=True, aggregate_stats=True, filename=str(path))
    profiler.set_state("run")
    domain = profiler.Domain("mydomain")
    task = domain.new_task("mytask")
    task.start()
    task.stop()
    frame = profiler.Frame(domain, "myframe")
    frame.start()
    frame.stop()
    event = profiler.Event("myevent")
    event.start()
    event.stop()
    counter = domain.new_counter("mycounter", 5)
    counter += 3
    counter.decrement(2)
    domain.new_marker("mymarker").mark("thread")
    profiler.set_state("stop")
    profiler.dump()
    got = [(e["name"], e["cat"], e["ph"]) for e in _trace(path) if e["ph"] != "M"]
    assert got == [("mytask", "mydomain", "B"), ("mytask", "mydomain", "E"),
                   ("myframe", "mydomain,frame", "B"), ("myframe", "mydomain,frame", "E"),
                   ("myevent", "event", "B"), ("myevent", "event", "E"),
                   ("mycounter", "mydomain", "C"), ("mycounter", "mydomain", "C"),
                   ("mycounter", "mydomain", "C"), ("mymarker", "mydomain,instant_marker", "i")]
    assert [e["args"]["mycounter"] for e in _trace(path) if e["ph"] == "C"] == [5, 8, 6]
    assert (str(domain), str(task), str(counter)) == ("mydomain", "mytask", "mycounter")
    table = profiler.dumps()
    # categories in MXNet's order; the marker's category has a table with no rows
    assert re.findall(r"^(\S+)\n=+$", table, flags=re.MULTILINE) == [
        "event", "mydomain", "mydomain,frame", "mydomain,instant_marker"]


def test_scope_names_the_ops_inside():
    profiler.set_config(profile_all=True)
    profiler.set_state("run")
    with profiler.scope("outer:"):
        np.exp(np.ones(1))
        with profiler.scope("inner:", append_mode=True):
            np.log(np.ones(1))
    np.sin(np.ones(1))
    profiler.set_state("stop")
    scopes = [e.get("args", {}).get("scope") for e in PROFILER.events if e["ph"] == "B"]
    assert scopes == ["outer:", "outer:inner:", None]


def test_dump_keeps_the_previous_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "trace.json"
    path.write_text("previous")
    profiler.set_config(profile_all=True, filename=str(path))

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(profiler.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        profiler.dump()
    assert path.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["trace.json"]  # no temporary file left


def test_start_stop_and_deprecated_spellings(tmp_path):
    with pytest.warns(DeprecationWarning, match="profiler_set_config"):
        profiler.profiler_set_config(mode="all", filename=str(tmp_path / "p.json"))
    profiler.start()
    assert PROFILER.running
    with pytest.warns(DeprecationWarning, match="profiler_set_state"):
        profiler.profiler_set_state("stop")
    assert not PROFILER.running
    with pytest.warns(DeprecationWarning, match="dump_profile"):
        profiler.dump_profile()
    assert json.loads((tmp_path / "p.json").read_text())["traceEvents"] == []
    profiler.start()
    profiler.stop()
    assert not PROFILER.running


def test_profiler_bad_input():
    with pytest.raises(mx.MXNetError, match="dump: the profiler has not been configured"):
        profiler.dump()
    with pytest.raises(mx.MXNetError, match="unknown keyword 'foo'"):
        profiler.set_config(foo=1)
    with pytest.raises(mx.MXNetError, match="profile_all must be a boolean, got 'yes'"):
        profiler.set_config(profile_all="yes")
    with pytest.raises(ValueError, match="set_state: state must be 'run' or 'stop', got 'go'"):
        profiler.set_state("go")
    with pytest.raises(NotImplementedError, match="no server processes"):
        profiler.set_state("run", profile_process="server")
    with pytest.raises(ValueError, match="format must be 'table' or 'json'"):
        profiler.dumps(format="xml")
    with pytest.raises(ValueError, match="sort_by must be one of"):
        profiler.dumps(sort_by="name")
    with pytest.raises(RuntimeError, match="Task.stop: 't' was not started"):
        profiler.Task(profiler.Domain("d"), "t").stop()
    with pytest.raises(TypeError, match="Task: domain must be a Domain"):
        profiler.Task("d", "t")
    with pytest.raises(ValueError, match="mark: scope must be one of"):
        profiler.Marker(profiler.Domain("d"), "m").mark("everywhere")


def test_legacy_operators_are_aggregated_under_mxnets_names(tmp_path):
    # MXNet 1.9.1 (mxref), the same calls: each mx.nd operator and NDArray operator is one
    # event under its operator's name; a custom operator's Python and the operators it runs
    # are in the "Custom Operator" domain
    class Twice(mx.operator.CustomOp):
        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] * 2)

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], out_grad[0] * 2)

    @mx.operator.register("ProfTwice")
    class TwiceProp(mx.operator.CustomOpProp):
        def create_operator(self, ctx, shapes, dtypes):
            return Twice()

    profiler.set_config(profile_all=True, aggregate_stats=True,
                        filename=str(tmp_path / "p.json"))
    profiler.set_state("run")
    a = mx.nd.ones((2, 2))
    _ = (a + 1, a + a, a * 2, 2 - a, a * a, mx.nd.relu(a), mx.nd.dot(a, a), a.sum(), a > 1)
    x = mx.nd.ones(3)
    x.attach_grad()
    with mx.autograd.record():
        y = mx.nd.Custom(x, op_type="ProfTwice")
    y.backward()
    stats = json.loads(profiler.dumps(format="json"))["Time"]
    profiler.set_state("stop")
    assert set(stats["operator"]) >= {"_ones", "_plus_scalar", "broadcast_add", "_mul_scalar",
                                      "_rminus_scalar", "broadcast_mul", "relu", "dot", "sum",
                                      "_greater_scalar"}
    assert not set(stats["operator"]) & {"add", "multiply", "subtract", "greater", "astype"}
    assert stats["operator"]["_plus_scalar"]["Count"] == 1
    assert set(stats["Custom Operator"]) >= {"ProfTwice::pure_python", "ProfTwice::_mul_scalar",
                                             "_backward_ProfTwice::pure_python",
                                             "_backward_ProfTwice::_mul_scalar"}
