"""Language knowledge shared by both sides: numbers, names, speech verbs and sentences in English,
Korean and Ukrainian."""
