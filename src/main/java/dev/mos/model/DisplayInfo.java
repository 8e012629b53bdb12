package dev.mos.model;

/** How a client would like an event shown; every field is optional. */
public record DisplayInfo(String name, String description, String icon, String color) {
}
