/** Live fan-out: waking the readers that wait for a session's next events. */
package dev.mos.live;
