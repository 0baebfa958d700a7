package dev.coord.server;

final class Placeholder {}
