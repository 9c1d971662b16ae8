"""cocotb test of the traffic-light controller: phase lengths, car and pedestrian requests, walk, resets."""

import random

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge

MG, MY, SG, SY = "MAIN_GREEN", "MAIN_YELLOW", "SIDE_GREEN", "SIDE_YELLOW"
NEXT = {MG: MY, MY: SG, SG: SY, SY: MG}
RED, YELLOW, GREEN = 0b100, 0b010, 0b001
LIGHTS = {MG: (GREEN, RED), MY: (YELLOW, RED), SG: (RED, GREEN), SY: (RED, YELLOW)}
LENGTH = {MY: 2, SG: 4, SY: 2}


class Model:
    def __init__(self):
        self.reset()

    def reset(self):
        self.phase, self.n, self.pending, self.walk = MG, 1, 0, 0

    def edge(self, car, ped):
        if self.phase == MG:
            leave = self.n >= 6 and (car or ped or self.pending)
        else:
            leave = self.n == LENGTH[self.phase]
        if leave and self.phase == MY:
            self.walk, self.pending = int(bool(self.pending or ped)), 0
        else:
            self.pending = int(bool(self.pending or ped))
            if leave and self.phase == SG:
                self.walk = 0
        if leave:
            self.phase, self.n = NEXT[self.phase], 1
        else:
            self.n += 1


def read(sig):
    """The signal as an int, or its bit string when it holds X or Z."""
    v = sig.value
    return int(v) if v.is_resolvable else str(v)


def show(light):
    return light if isinstance(light, str) else f"{light:03b}"


def stimulus():
    """(rst, car, ped) per cycle."""
    seq = [(1, 0, 0)] * 2
    seq += [(0, 0, 0)] * 20                                  # no request: main green stays
    seq += [(0, 1, 0)] * 30                                  # steady car: minimum main green each round
    seq += [(0, 0, 0)] * 3 + [(0, 0, 1)] + [(0, 0, 0)] * 25  # one-cycle ped pulse is remembered
    seq += [(0, 1, 0)] * 9 + [(0, 0, 1)] + [(0, 0, 0)] * 30  # ped during side phases: served next round
    seq += [(0, 1, 1)] * 9 + [(1, 0, 0)] + [(0, 0, 0)] * 12  # reset in the middle of a cycle of phases
    for _ in range(300):
        seq.append((int(random.random() < 0.01), int(random.random() < 0.15), int(random.random() < 0.05)))
    return seq


@cocotb.test()
async def test_traffic_light(dut):
    Clock(dut.clk, 10, unit="ns").start()
    m = Model()
    for cyc, (rst, car, ped) in enumerate(stimulus()):
        await FallingEdge(dut.clk)
        dut.rst.value, dut.car.value, dut.ped.value = rst, car, ped
        await RisingEdge(dut.clk)
        await ReadOnly()
        if rst:
            m.reset()
        else:
            m.edge(car, ped)
        expected = (*LIGHTS[m.phase], m.walk)
        got = (read(dut.main_light), read(dut.side_light), read(dut.walk))
        assert got == expected, (f"cycle {cyc}: rst={rst} car={car} ped={ped}, model in {m.phase} cycle {m.n} "
                                 f"(pending={m.pending}): expected (main_light, side_light, walk)="
                                 f"({expected[0]:03b}, {expected[1]:03b}, {expected[2]}), got ({show(got[0])}, {show(got[1])}, {got[2]})")
