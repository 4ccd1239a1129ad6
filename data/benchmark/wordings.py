"""More ways to ask each skill's question: for training, and held out to check a router.

A router must route by what a question asks, not by its wording. Every split asks with the
skill's own `templates` (so the dev and test items stay as they were built); the train split
draws instead among those and the `TRAIN` paraphrases here, so a router sees many wordings of
each ask, and each train item lists its other wordings as ``paraphrases`` for a trainer to
ask it in. The `HELD_OUT` wordings are used by no split: `reword` re-asks a built dataset with
them (same audio, same options), a paired check of how a router does on words it never saw.

Wordings are `str.format` strings over the skill's spec, like the templates: `{position}` is
first/last, `{extreme}` loudest/quietest or highest/lowest, `{sound}` the sound's name.
"""

from __future__ import annotations

import zlib

import numpy as np

from .catalog import SKILLS

TRAIN: dict[str, tuple[str, ...]] = {
    "spoken_digits": (
        "Which numbers are said, in the order they are said?",
        "Write down the digits you hear. Which option matches?",
        "The speaker reads a short number. Which one is it?",
        "Which string of digits does the voice recite?",
        "What number sequence is read aloud?",
        "Someone dictates a few digits. Which sequence is correct?",
        "Transcribe the spoken digits: which option is right?",
        "Which code is read out in the recording?"),
    "spoken_word": (
        "Which single word can be heard?",
        "What is the word spoken in this clip?",
        "The speaker says one word. Which one?",
        "Which of the options is the word that is pronounced?",
        "What does the voice say?",
        "Identify the spoken word.",
        "Which word is uttered by the speaker?",
        "Listen carefully: which word is said aloud?"),
    "language": (
        "What language is this?",
        "Which language does the speaker talk in?",
        "Identify the language of the speech.",
        "The sentence is spoken in which language?",
        "What is the language of the recording?",
        "Which language can you hear?",
        "In what language is the person speaking?",
        "Name the language used by the speaker."),
    "speaker_count": (
        "How many people are talking?",
        "How many speakers can you hear?",
        "Count the voices in the conversation.",
        "How many different people speak in this clip?",
        "What is the number of distinct speakers?",
        "How many talkers take part in the recording?",
        "Several people may speak here. How many different ones?",
        "How many separate voices are there?"),
    "speaker_pitch": (
        "Which of the speakers sounds {extreme}?",
        "Who has the {extreme} pitched voice?",
        "Three voices speak one after another. Which voice is {extreme}?",
        "Which talker's voice sits {extreme}?",
        "Order the voices by pitch. Which one is {extreme}?",
        "Which person speaks with the {extreme} voice?",
        "Among the speakers, whose voice is {extreme} in pitch?",
        "Which voice has the {extreme} pitch?"),
    "speech_rate": (
        "How quickly is the person talking?",
        "What is the speed of the speech?",
        "At what pace does the speaker talk?",
        "How many words per minute does the speaker say?",
        "Is the speaker talking slowly or quickly? Pick the rate.",
        "Estimate how fast the words are spoken.",
        "What talking speed do you hear?",
        "Roughly how many words a minute are said?"),
    "event_count": (
        "How many hits are there?",
        "Count the drum strokes.",
        "How many times is the drum played?",
        "How many percussive sounds do you hear?",
        "What is the number of drum beats in the clip?",
        "How many separate knocks or hits occur?",
        "Count how often something is struck.",
        "How many strikes can be heard in total?"),
    "event_order": (
        "Which sound is heard {position}?",
        "Which one of the sounds plays {position}?",
        "Sounds follow one another. Which comes {position}?",
        "What sound occurs {position} in the sequence?",
        "In the series of sounds, which one is {position}?",
        "Listen to the order of the sounds. What is {position}?",
        "Which noise appears {position} in the recording?",
        "Several sounds play in a row. Which is {position}?"),
    "sound_presence": (
        "Which sound occurs in the recording?",
        "What sound is present in the clip?",
        "Which of the following can be heard?",
        "Which of these sound sources is in the audio?",
        "What is making a sound in this recording?",
        "Which sound event does the clip contain?",
        "Identify the sound that is present.",
        "Which one of these is audible in the clip?"),
    "loudness_order": (
        "A sound repeats four times. Which repetition is {extreme}?",
        "Which of the four occurrences is {extreme}?",
        "The sound is played four times at different volumes. Which time is {extreme}?",
        "Which of the four sounds has the {extreme} level?",
        "Four repetitions of one sound: which is {extreme}?",
        "Compare the four sounds. Which one is {extreme}?",
        "Which occurrence of the repeated sound is {extreme}?",
        "The same noise is heard four times. When is it {extreme}?"),
    "duration": (
        "For how long does the {sound} play?",
        "How many seconds does the {sound} last?",
        "What is the length of the {sound}?",
        "How long is the {sound} heard for?",
        "Estimate the duration of the {sound}.",
        "How long does the {sound} go on?",
        "The clip contains a {sound}. How long is it?",
        "Roughly how long does the {sound} sound?"),
    "tempo": (
        "What is the BPM of this beat?",
        "How many beats per minute does the drum pattern have?",
        "At what tempo is the rhythm played?",
        "How fast is this groove?",
        "What is the speed of the drum beat in BPM?",
        "Estimate the beats per minute.",
        "Which tempo matches the drums?",
        "What tempo is the percussion playing at?"),
    "note_name": (
        "Which pitch is played?",
        "What note do you hear?",
        "Name the pitch of the tone.",
        "Which musical note sounds?",
        "What is the note being played?",
        "Identify the note.",
        "Which note is the instrument playing?",
        "What note name matches the sound?"),
    "chord_quality": (
        "What type of chord is this?",
        "Which chord quality do you hear?",
        "Is this chord major, minor or something else?",
        "Identify the quality of the chord.",
        "What kind of chord sounds?",
        "Which chord type is being played?",
        "Name the chord's quality.",
        "What is the chord type?"),
    "key_mode": (
        "What is the key of this passage?",
        "In which key is the music?",
        "Which key does the music use?",
        "Identify the key and mode.",
        "What key is the melody in?",
        "Name the key of this piece.",
        "Which key and mode do you hear?",
        "What tonality is the music in?"),
    "instrument_family": (
        "What kind of instrument plays?",
        "Which instrument family do you hear?",
        "Which type of instrument is this?",
        "Identify the family of the instrument playing.",
        "What instrument group plays the tune?",
        "Which family does the instrument belong to?",
        "What sort of instrument is playing the melody?",
        "Name the instrument family."),
}

HELD_OUT: dict[str, tuple[str, ...]] = {
    "spoken_digits": ("Tell me the figures the voice reads, in sequence.",
                      "A phone number fragment is read out. What is it?"),
    "spoken_word": ("Pick the option that matches what is said.",
                    "What term is pronounced in the recording?"),
    "language": ("Which tongue is the speaker using?",
                 "Say which language these words are in."),
    "speaker_count": ("How many individuals contribute to this dialogue?",
                      "Tell me how many voices there are."),
    "speaker_pitch": ("Whose voice is {extreme} in the group of talkers?",
                      "Of the people speaking, pick the one that sounds {extreme}."),
    "speech_rate": ("What is the tempo of the speech, in words per minute?",
                    "Is this a slow or a fast talker? Give the speaking speed."),
    "event_count": ("Tell me how many strikes there are.",
                    "What is the total of percussive hits?"),
    "event_order": ("Pick the sound that is {position} in time.",
                    "Tell me which noise is {position}."),
    "sound_presence": ("Pick the sound source you can hear.",
                       "Which of the listed things makes noise in this audio?"),
    "loudness_order": ("Tell me which of the four repeats is {extreme}.",
                       "Among the four instances of the sound, pick the {extreme}."),
    "duration": ("Tell me the length of time the {sound} lasts.",
                 "How much time does the {sound} take?"),
    "tempo": ("Tell me the BPM of the drumming.",
              "How quick is the pulse of this rhythm?"),
    "note_name": ("Tell me which tone this is.",
                  "What pitch class and octave is heard?"),
    "chord_quality": ("Tell me the flavour of this chord.",
                      "Which harmony type is sounded?"),
    "key_mode": ("Tell me the tonal centre and mode.",
                 "Which scale is this music based on?"),
    "instrument_family": ("Tell me what class of instrument this is.",
                          "Which section of the orchestra plays?"),
}


def wording_rng(seed: int, item_id: str) -> np.random.Generator:
    """A generator for one item's wording alone: drawing a wording never moves the audio's."""
    return np.random.default_rng([seed, zlib.crc32(f"wording/{item_id}".encode())])


def _train_pool(skill: str) -> tuple[str, ...]:
    """Every wording a training item of ``skill`` may be asked in: its templates, then `TRAIN`."""
    return (*SKILLS[skill].templates, *TRAIN[skill])


def train_wording(skill: str, spec: dict, rng: np.random.Generator) -> tuple[str, int]:
    """A training question: one of `_train_pool` uniformly; returns the question and its
    index in that pool."""
    pool = _train_pool(skill)
    index = int(rng.integers(len(pool)))
    return pool[index].format(**spec), index


def paraphrases(skill: str, spec: dict, question: str) -> list[str]:
    """Every other training wording of the same question (the item's ``paraphrases`` field:
    a trainer may ask an item in any of them, `AudioRouter-v0`'s ``wording`` reset option)."""
    asked = dict.fromkeys(w.format(**spec) for w in _train_pool(skill))
    return [q for q in asked if q != question]


def held_out_question(item_id: str, meta: dict, rng: np.random.Generator) -> tuple[str, dict]:
    """A built item's question in one of its skill's `HELD_OUT` wordings, with its new meta."""
    skill = meta.get("skill")
    if skill not in HELD_OUT:
        raise ValueError(f"item {item_id!r} is not a built-in benchmark item (meta.skill "
                         f"{skill!r}); only those can be reworded")
    index = int(rng.integers(len(HELD_OUT[skill])))
    return HELD_OUT[skill][index].format(**meta), {**meta, "wording": "held-out",
                                                   "template": index}
