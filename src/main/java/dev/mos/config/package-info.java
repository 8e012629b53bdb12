/**
 * Configuration: the seed's config file sections plus ours, layered as defaults &lt; file &lt; environment &lt;
 * flags, validated once at start with messages that name the key, the source and the rule.
 */
package dev.mos.config;
