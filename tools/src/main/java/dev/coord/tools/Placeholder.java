package dev.coord.tools;

final class Placeholder {}
