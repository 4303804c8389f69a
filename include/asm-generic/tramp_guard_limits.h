/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tramp_guard's size limits, in units of TRAMP_GUARD_ALIGN: the core checks
 * an architecture's templates against them at boot, and assemblers that can
 * measure the templates check them at build time (arch tramp_guard.S).
 */
#ifndef __ASM_GENERIC_TRAMP_GUARD_LIMITS_H
#define __ASM_GENERIC_TRAMP_GUARD_LIMITS_H

/*
 * The prologue fits one unit, so that its whole length is the window an
 * interrupt can land in; the handler body fits three; a handler trampoline
 * (prologue, body, exit branch) fits four, which leaves the exit branch
 * room after the longest body.
 */
#define TRAMP_GUARD_PROLOGUE_UNITS	1
#define TRAMP_GUARD_BODY_UNITS		3
#define TRAMP_GUARD_HANDLER_UNITS	4

#endif /* __ASM_GENERIC_TRAMP_GUARD_LIMITS_H */
