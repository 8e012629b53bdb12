/**
 * Model prices (shipped list, operator's file over it) and the estimate of a model call's cost from its tokens when
 * the agent reports none.
 */
package dev.mos.pricing;
