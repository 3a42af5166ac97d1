"""The reading floor: every file of a channel is read and parsed here, below everything that uses it.

``yamlsource`` (safe YAML with the line of every key; ``yamlbuild`` turns the parser's events into values)
→ ``load`` (validated models, every problem at ``file:line``; ``librarycache`` keeps the parsed library
between runs, for the same text).
"""
