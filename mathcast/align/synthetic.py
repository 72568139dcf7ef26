"""Narrations with known boundaries, for measuring aligners: espeak-ng sentence by sentence.

Each sentence gets its own rate (130–220 words a minute) and voice variant, and a pause of
0.25–0.9 s follows it; the pauses are where the boundaries must land.
"""

from __future__ import annotations

import random
import wave
from pathlib import Path

import numpy as np
from pydantic import Field

from mathcast.lesson import Language, Model
from mathcast.providers.tts.libespeak import VOICES, synthesize_fragments

VARIANTS = ("", "+m3", "+f2", "+f4", "+m7", "+klatt")
RATE = 22_050

SENTENCES: dict[Language, list[str]] = {
    "zh-CN": [
        "今天我们学习一次函数的图像和性质。",
        "一次函数的图像是一条直线。",
        "斜率决定了直线的倾斜方向。",
        "当斜率大于零时，函数单调递增。",
        "当斜率小于零时，函数单调递减。",
        "截距是直线与纵轴交点的纵坐标。",
        "我们来看一个例题。",
        "已知直线经过两个点，求它的解析式。",
        "先把两个点的坐标代入方程。",
        "再解这个二元一次方程组。",
        "最后检验答案是否正确。",
        "请你想一想，这条直线经过哪些象限。",
    ],
    "en-US": [
        "Today we study the graph of a linear function.",
        "The graph of a linear function is a straight line.",
        "The slope decides which way the line leans.",
        "When the slope is positive, the function increases.",
        "When the slope is negative, the function decreases.",
        "The intercept is where the line meets the vertical axis.",
        "Let us look at an example.",
        "A line passes through two given points; find its equation.",
        "First put the coordinates of both points into the equation.",
        "Then solve the pair of equations.",
        "Finally check that the answer is right.",
        "Think about which quadrants this line passes through.",
    ],
}


class SpokenWord(Model):
    """Where the synthesiser itself started a word: the ground truth for word-level alignment."""

    sentence: int
    start_char: int
    length: int
    begin_ms: int

    def text(self, sentences: list[str]) -> str:
        return sentences[self.sentence][self.start_char : self.start_char + self.length]


class SyntheticNarration(Model):
    sentences: list[str]
    pauses_ms: list[tuple[int, int]]  # the pause after each sentence but the last
    words: list[SpokenWord] = Field(default_factory=list)

    @property
    def anchors_ms(self) -> list[int]:
        return [(start + end) // 2 for start, end in self.pauses_ms]


def narrate(sentences: list[str], language: Language, out_wav: Path, seed: int = 0) -> SyntheticNarration:
    """Speak each sentence with its own rate and voice, join them with random pauses into `out_wav`;
    the synthesiser's word events give every word's true start."""
    rng = random.Random(seed)
    pieces: list[np.ndarray] = []
    pauses: list[tuple[int, int]] = []
    words: list[SpokenWord] = []
    cursor = 0
    for i, sentence in enumerate(sentences):
        voice = VOICES[language] + rng.choice(VARIANTS)
        spoken = synthesize_fragments([sentence], language, rate=rng.randint(130, 220), voice=voice)
        start, end = spoken.spans[0]
        samples = spoken.samples[start:end] if end > start else spoken.samples
        offset = cursor - start
        words += [
            SpokenWord(
                sentence=i,
                start_char=w.start_char,
                length=w.length,
                begin_ms=(offset + w.sample) * 1000 // RATE,
            )
            for w in spoken.words
        ]
        pieces.append(samples)
        cursor += samples.size
        if i < len(sentences) - 1:
            gap = round(rng.uniform(0.25, 0.9) * RATE)
            pauses.append((cursor * 1000 // RATE, (cursor + gap) * 1000 // RATE))
            pieces.append(np.zeros(gap, np.int16))
            cursor += gap
    with wave.open(str(out_wav), "wb") as track:
        track.setnchannels(1)
        track.setsampwidth(2)
        track.setframerate(RATE)
        track.writeframes(np.concatenate(pieces).astype("<i2").tobytes())
    return SyntheticNarration(sentences=sentences, pauses_ms=pauses, words=words)
