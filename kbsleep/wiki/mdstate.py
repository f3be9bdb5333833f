"""markdown-it's block and inline parsers, on states that build the tokens they push field by
field instead of by Token's dataclass constructor (a tenth of a parse: a page has ~100 block
tokens, and a paragraph of 300,000 links twice as many inline tokens)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

if TYPE_CHECKING:
    from markdown_it.utils import EnvType

_new_token = Token.__new__
# The fields `_StateBlock.push` sets, in Token's order: with a markdown-it whose Token differs,
# the parser keeps the stock block state.
_TOKEN_FIELDS = (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info",
    "meta", "block", "hidden",
)  # fmt: skip
FIELDS_MATCH = dataclasses.is_dataclass(Token) and tuple(f.name for f in dataclasses.fields(Token)) == _TOKEN_FIELDS


def _made_token(ttype: str, tag: str, nesting: Literal[-1, 0, 1], block: bool) -> Token:
    """The token `Token(ttype, tag, nesting)` makes (with `block`), for half the cost of Token's
    dataclass constructor and its `__post_init__` (`FIELDS_MATCH` checks these are all
    of Token's fields)."""
    token = _new_token(Token)
    token.type, token.tag, token.nesting = ttype, tag, nesting
    token.attrs, token.map, token.children = {}, None, None
    token.content = token.markup = token.info = ""
    token.meta, token.block, token.hidden = {}, block, False
    token.level = 0
    return token


class _StateBlock(StateBlock):
    """markdown-it's block state, building the tokens it pushes field by field."""

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        # The same token as `StateBlock.push` makes (a tenth of a block parse: a page has ~100).
        token = _made_token(ttype, tag, nesting, True)
        if nesting < 0:
            self.level -= 1  # closing tag
        token.level = self.level
        if nesting > 0:
            self.level += 1  # opening tag
        self.tokens.append(token)
        return token


class _StateInline(StateInline):
    """markdown-it's inline state, building the tokens it pushes field by field: a paragraph
    of 300,000 links makes twice as many tokens."""

    def pushPending(self) -> Token:
        token = _made_token("text", "", 0, False)
        token.content = self.pending
        token.level = self.pendingLevel
        self.tokens.append(token)
        self.pending = ""
        return token

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        # `StateInline.push` (markdown-it-py 3 and 4), but for how the token is made.
        if self.pending:
            self.pushPending()
        token = _made_token(ttype, tag, nesting, False)
        token_meta = None
        if nesting < 0:  # closing tag
            self.level -= 1
            self.delimiters = self._prev_delimiters.pop()
        token.level = self.level
        if nesting > 0:  # opening tag
            self.level += 1
            self._prev_delimiters.append(self.delimiters)
            self.delimiters = []
            token_meta = {"delimiters": self.delimiters}
        self.pendingLevel = self.level
        self.tokens.append(token)
        self.tokens_meta.append(token_meta)
        return token


class InlineParser(ParserInline):
    """markdown-it's inline parser, on a `_StateInline`."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> list[Token]:
        state = _StateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


class BlockParser(ParserBlock):
    """markdown-it's block parser, on a `_StateBlock`."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = _StateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens
