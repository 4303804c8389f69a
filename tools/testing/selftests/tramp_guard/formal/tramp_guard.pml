/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Promela model of the tramp_guard protocol (Linux 6.12).
 *
 * Traced tasks call a guarded trampoline through a patched call site and
 * leave it through the exit stub; interrupts arrive at every instruction
 * boundary and do what 6.12 does on their path (RCU tick, expedited-RCU IPI,
 * wakeups, rcu_core() at softirq on the way out, irq-exit preemption); an
 * updater unpatches the call site, waits for a normal or an expedited RCU
 * grace period and reuses the trampoline memory.
 *
 * Variant (exactly one; default BORROW):
 *   NOGUARD        no protection at all
 *   PROPOSAL       irq-exit preemption skipped when the interrupted IP is
 *                  in the guard region (the original proposal's check in
 *                  preempt_schedule_irq())
 *   PROPOSAL_PLUS  PROPOSAL, plus the same check in the RCU tick and in the
 *                  expedited-RCU IPI handler (not in rcu_core())
 *   BORROW         as built: tramp_guard_irq_enter() borrows one preempt
 *                  count when the interrupted IP is in the region,
 *                  tramp_guard_irq_exit() gives it back after the irq-exit
 *                  preemption decision
 *   MUTANT         BORROW, but the count is given back before the
 *                  preemption decision
 * Extra mutations of BORROW (negative controls of the other properties):
 *   STUB_NORESCHED the exit stub does preempt_enable_no_resched()
 *   LEAK_BORROW    tramp_guard_irq_exit() never gives the count back
 * Options:
 *   PROLOGUE_RMW   the prologue is a load and a separate add+store of the
 *                  count, interruptible in between (arm64), not one
 *                  read-modify-write instruction (x86 incl)
 *   VIA_RCU_CORE   look only for safety violations in which rcu_core()
 *                  reported the QS of the CPU in the window
 *   WITNESS        non-vacuity check: assert that the updater never reuses
 *                  the memory after a grace period that overlapped an
 *                  interrupt in the window; a counterexample is expected
 *
 * RCU flavour: PREEMPT_RCU (CONFIG_PREEMPT=y: PREEMPTION, PREEMPT_RCU), or
 * without it CONFIG_PREEMPT_VOLUNTARY=y with CONFIG_PREEMPT_COUNT=y (TREE_RCU,
 * no irq-exit preemption, the exit stub does not reschedule). PREEMPT_RCU
 * with NO_PREEMPTION: PREEMPT_DYNAMIC booted with preempt=none or voluntary
 * (preemptible RCU, but neither irq-exit preemption nor a reschedule in the
 * exit stub).
 *
 * Grace period the updater waits for: GP_NORMAL, GP_EXP, or (default)
 * either, chosen nondeterministically.
 *
 * Properties (assertions; default all three):
 *   CHECK_SAFETY   no task executes trampoline memory after its reuse
 *   CHECK_RESCHED  a need-resched pending while a task is in the window or
 *                  the body is honoured (by a context switch) by the time
 *                  the task returns from the exit stub (with PREEMPTION
 *                  only: without it nothing reschedules involuntarily)
 *   CHECK_BALANCE  the preempt count is back to its entry value (0) when
 *                  the task returns to the traced function
 *
 * Size: NCPU CPUs (default 2), NTASK traced tasks (1 or 2, default 2; each
 * starts on its own CPU and may migrate when preempted), one updater on a CPU
 * of its own. A CPU without a traced task runs "other" tasks.
 *
 * Run:  spin -DBORROW -DPREEMPT_RCU -a tramp_guard.pml
 *       gcc -O2 -DSAFETY -o pan ./pan.c && ./pan -m100000
 *       spin -DBORROW -DPREEMPT_RCU -T -t -p tramp_guard.pml   (a trail)
 */

#ifndef NCPU
#define NCPU 2
#endif
#ifndef NTASK
#define NTASK 2
#endif
#if NTASK < 1 || NTASK > 2 || NCPU < NTASK
#error "NTASK must be 1 or 2, and at most NCPU"
#endif

#if !defined(NOGUARD) && !defined(PROPOSAL) && !defined(PROPOSAL_PLUS) && \
    !defined(BORROW) && !defined(MUTANT)
#define BORROW
#endif
#ifdef MUTANT
#define BORROW
#endif
#ifdef PROPOSAL_PLUS
#define PROPOSAL
#endif

#if defined(PREEMPT_RCU) && !defined(NO_PREEMPTION)
#define PREEMPTION
#endif

#if !defined(CHECK_SAFETY) && !defined(CHECK_RESCHED) && !defined(CHECK_BALANCE)
#define CHECK_SAFETY
#define CHECK_RESCHED
#define CHECK_BALANCE
#endif

/*
 * VIA_RCU_CORE restricts the safety property to runs in which rcu_core()
 * reported the expedited QS of a CPU whose task sat in the window: a
 * counterexample then shows that path, if the variant has it.
 */
#ifdef VIA_RCU_CORE
#define SAFETY_ASSERT	assert(!reused || !via)
#else
#define SAFETY_ASSERT	assert(!reused)
#endif

#if !defined(GP_NORMAL) && !defined(GP_EXP)
#define GP_NORMAL
#define GP_EXP
#endif

/* Where a traced task is (its instruction pointer). */
mtype = {
	CALLER,	/* traced function, at the patched call site */
	WIN,	/* trampoline+0: called, prologue not run (the window) */
	WIN2,	/* PROLOGUE_RMW: count loaded, not yet stored back */
	BODY,	/* trampoline, after the preempt_disable() prologue */
	STUB,	/* jumped to the exit stub, in kernel text */
	RET,	/* exit stub done, returning to the traced function */
	DONE	/* back in the traced function: leaves the model */
};

#define in_region(t)	(ip[t] == WIN || ip[t] == WIN2 || ip[t] == BODY)

/* The trampoline and the call site. */
bit hooked = 1;		/* call site patched to call the trampoline */
bit reused;		/* trampoline memory reused by the updater */

/* Per task. */
mtype ip[NTASK] = CALLER;
byte pcnt[NTASK];	/* PREEMPT_MASK part of its preempt count */
bit running[NTASK];	/* on a CPU (else preempted: runnable, IP saved) */
bit pend[NTASK];	/* need-resched seen in window/body, not yet honoured */
byte rmw[NTASK];	/* PROLOGUE_RMW: the count loaded by the prologue */
bit wit;		/* WITNESS: an interrupt hit the window during a GP */
bit via;		/* rcu_core() reported a QS for a CPU in the window */

/* Per CPU. */
byte cur[NCPU];		/* traced task running + 1, or 0: some other task */
bit nr[NCPU];		/* need_resched() */
bit softpend[NCPU];	/* RCU_SOFTIRQ raised */
bit needqs[NCPU];	/* normal GP waits for this CPU (rcu_data.cpu_no_qs.b.norm) */
bit expneed[NCPU];	/* expedited GP waits for this CPU (rnp->expmask bit) */
bit ipi[NCPU];		/* expedited IPI (rcu_exp_handler()) pending */
bit def[NCPU];		/* deferred expedited QS (rcu_data.cpu_no_qs.b.exp) */
byte gpleft;		/* CPUs the normal GP still waits for */
byte expleft;		/* CPUs the expedited GP still waits for */

/* Reports of quiescent states. */
inline normal_qs(c)
{
	if
	:: needqs[c] -> needqs[c] = 0; gpleft--
	:: else
	fi
}

inline exp_report(c)	/* rcu_report_exp_rdp() */
{
	def[c] = 0;
	if
	:: expneed[c] -> expneed[c] = 0; expleft--
	:: else
	fi
}

/* rcu_note_context_switch(): rcu_qs(), and a deferred expedited QS. */
inline cs_qs(c)
{
	normal_qs(c);
	if
	:: def[c] -> exp_report(c)
	:: else
	fi
}

/* resched_curr() on this CPU, from any context. */
inline set_nr(c)
{
	nr[c] = 1;
	if
	:: cur[c] != 0 && in_region(cur[c] - 1) -> pend[cur[c] - 1] = 1
	:: else
	fi
}

/* __schedule(): the traced task is switched out with its IP saved. */
inline switch_out(c, t)
{
	running[t] = 0;
	cur[c] = 0;
	nr[c] = 0;
	pend[t] = 0;
	printf("MSG: cpu%d: context switch away from task%d at ", c, t);
	printm(ip[t]);
	printf(": QS\n");
	cs_qs(c)
}

inline resume(c, t)
{
	printf("MSG: cpu%d: context switch to task%d at ", c, t);
	printm(ip[t]);
	printf(": QS\n");
	running[t] = 1;
	cur[c] = t + 1;
	nr[c] = 0;
	cs_qs(c)
}

/*
 * The check the PROPOSAL variants add to a consumer: the interrupted IP is in
 * the region. In a nested interrupt (s) the interrupted IP is softirq code.
 */
#ifdef PROPOSAL
#define IP_CHECK(s)	(inreg && !(s))
#else
#define IP_CHECK(s)	0
#endif
#ifdef PROPOSAL_PLUS
#define PLUS_CHECK(s)	(inreg && !(s))
#else
#define PLUS_CHECK(s)	0
#endif

/*
 * rcu_sched_clock_irq() -> rcu_flavor_sched_clock_irq(); s: the interrupt
 * came in during softirq processing (SOFTIRQ_OFFSET in preempt_count()).
 */
inline rcu_tick(c, t, s)
{
#ifdef PREEMPT_RCU
	if
	:: pcnt[t] > 0 || s || PLUS_CHECK(s) ->
		/* No QS, force context switch if deferred. */
		printf("MSG: cpu%d: tick, preempt count %d, in softirq %d, checked %d: no QS\n",
		       c, pcnt[t], s, PLUS_CHECK(s));
		if
		:: def[c] -> set_nr(c)
		:: else
		fi
	:: else ->
		if
		:: def[c] ->
			printf("MSG: cpu%d: tick, preempt_count()=0: rcu_preempt_deferred_qs() reports the expedited QS\n", c);
			exp_report(c)
		:: else ->
			printf("MSG: cpu%d: tick, preempt_count()=0: rcu_qs()\n", c);
			normal_qs(c)
		fi
	fi;
#else
	if
	:: pcnt[t] == 0 && !s && !PLUS_CHECK(s) ->
		/* preempt_count() == HARDIRQ_OFFSET: rcu_qs() */
		printf("MSG: cpu%d: tick, preempt_count()==HARDIRQ_OFFSET: rcu_qs()\n", c);
		normal_qs(c);
		if
		:: def[c] -> exp_report(c)
		:: else
		fi
	:: else ->
		printf("MSG: cpu%d: tick, preempt count %d, in softirq %d, checked %d: no QS\n",
		       c, pcnt[t], s, PLUS_CHECK(s))
	fi;
#endif
	/* rcu_pending() -> invoke_rcu_core(); sched_tick() -> resched_curr() */
	if
	:: softpend[c] = 1; printf("MSG: cpu%d: tick raises RCU_SOFTIRQ\n", c)
	:: skip
	fi;
	if
	:: set_nr(c); printf("MSG: cpu%d: tick sets need_resched\n", c)
	:: skip
	fi
}

/* rcu_exp_handler() */
inline rcu_exp(c, t, s)
{
#ifndef PREEMPT_RCU
	if
	:: !expneed[c] || def[c] -> skip
	:: else ->
#endif
	if
	:: pcnt[t] == 0 && !s && !PLUS_CHECK(s) ->
		printf("MSG: cpu%d: expedited IPI, preempt_count()=0: rcu_report_exp_rdp()\n", c);
		exp_report(c)
	:: else ->
		printf("MSG: cpu%d: expedited IPI, preempt count %d, in softirq %d: defer (cpu_no_qs.b.exp, need_resched)\n", c, pcnt[t], s);
		def[c] = 1;
		set_nr(c)
	fi
#ifndef PREEMPT_RCU
	fi
#endif
}

/* rcu_core(), run as RCU_SOFTIRQ on the way out of an interrupt. */
inline rcu_core(c, t)
{
	if
	:: pcnt[t] == 0 ->
		if
		:: def[c] ->
			printf("MSG: cpu%d: rcu_core(), !(preempt_count() & PREEMPT_MASK): rcu_preempt_deferred_qs() reports the expedited QS\n", c);
			if
			:: in_region(t) && expneed[c] -> via = 1
			:: else
			fi;
			exp_report(c)
		:: else
		fi
	:: else ->
#ifdef PREEMPT_RCU
		if
		:: def[c] -> set_nr(c)
		:: else
		fi
#else
		skip
#endif
	fi
}

/* One hardirq handler: the tick, the expedited IPI, or a wakeup. */
inline handler(c, t, s)
{
	if
	:: rcu_tick(c, t, s)
	:: ipi[c] -> ipi[c] = 0; rcu_exp(c, t, s)
	:: set_nr(c); printf("MSG: cpu%d: wakeup sets need_resched\n", c)
	fi
}

proctype cpu(byte c)
{
	byte t;		/* the task this CPU's interrupt interrupted */
	bit inreg;	/* its interrupted IP is in the guard region */
	bit borrowed;	/* irqentry_state_t.tramp_guard */

end:
	do
	/* Another task runs: it passes quiescent states and takes IPIs. */
	:: atomic {
		cur[c] == 0 && (needqs[c] || ipi[c] || def[c]) ->
		printf("MSG: cpu%d: another task passes a quiescent state\n", c);
		normal_qs(c);
		ipi[c] = 0;
		exp_report(c)
	   }
	/* Or the scheduler picks a preempted traced task. */
	:: atomic { cur[c] == 0 && ip[0] != DONE && !running[0] -> resume(c, 0) }
#if NTASK > 1
	:: atomic { cur[c] == 0 && ip[1] != DONE && !running[1] -> resume(c, 1) }
#endif

	/* The traced task executes one instruction (interrupts enabled). */
	:: atomic {
		cur[c] != 0 ->
		t = cur[c] - 1;
		if
		:: ip[t] == CALLER ->
			if
			:: hooked ->	/* call trampoline */
				printf("MSG: cpu%d: task%d calls the trampoline\n", c, t);
				ip[t] = WIN;
				if
				:: nr[c] -> pend[t] = 1
				:: else
				fi
			:: else ->	/* unpatched: the traced function runs on */
				printf("MSG: cpu%d: task%d: call site unpatched, no call\n", c, t);
				ip[t] = DONE;
				running[t] = 0;
				cur[c] = 0
			fi
		:: ip[t] == WIN ->	/* prologue: preempt_disable() */
			printf("MSG: cpu%d: task%d executes the prologue (reused %d)\n", c, t, reused);
#ifdef CHECK_SAFETY
			SAFETY_ASSERT;
#endif
#ifdef PROLOGUE_RMW
			rmw[t] = pcnt[t];	/* load */
			ip[t] = WIN2
		:: ip[t] == WIN2 ->
#ifdef CHECK_SAFETY
			SAFETY_ASSERT;
#endif
			pcnt[t] = rmw[t] + 1;	/* add, store */
			rmw[t] = 0;
#else
			pcnt[t]++;
#endif
			ip[t] = BODY
		:: ip[t] == BODY ->	/* body, then jump to the exit stub */
#ifdef CHECK_SAFETY
			SAFETY_ASSERT;
#endif
			ip[t] = STUB
		:: ip[t] == STUB ->	/* exit stub: preempt_enable_notrace() */
			pcnt[t]--;
			ip[t] = RET;
#if defined(PREEMPTION) && !defined(STUB_NORESCHED)
			if
			:: pcnt[t] == 0 && nr[c] ->
				printf("MSG: cpu%d: task%d exit stub: preempt_schedule_notrace()\n", c, t);
				switch_out(c, t)
			:: else
			fi
#endif
		:: ip[t] == RET ->	/* return to the traced function */
#ifdef CHECK_BALANCE
			assert(pcnt[t] == 0);
#endif
#if defined(CHECK_RESCHED) && defined(PREEMPTION)
			assert(!pend[t]);
#endif
			printf("MSG: cpu%d: task%d returns to the traced function\n", c, t);
			ip[t] = DONE;
			running[t] = 0;
			cur[c] = 0
		fi;
		t = 0
	   }

	/* A wakeup from another CPU: resched_curr() (its IPI is an interrupt). */
	:: atomic {
		cur[c] != 0 && !nr[c] ->
		set_nr(c);
		printf("MSG: cpu%d: remote wakeup sets need_resched\n", c)
	   }

	/* An interrupt. */
	:: atomic {
		cur[c] != 0 ->
		t = cur[c] - 1;
		inreg = in_region(t);
		/* irqentry_enter(): tramp_guard_irq_enter() */
#ifdef BORROW
		borrowed = inreg;
		pcnt[t] = pcnt[t] + borrowed;
#endif
#ifdef WITNESS
		if
		:: inreg && ip[t] != BODY && gpleft + expleft > 0 -> wit = 1
		:: else
		fi;
#endif
		printf("MSG: cpu%d: interrupt, task%d at ", c, t);
		printm(ip[t]);
		printf(", preempt count %d\n", pcnt[t]);
		/* irq_enter_rcu(); the handler */
		handler(c, t, 0)
	   };
		/* irq_exit_rcu(): invoke_softirq(), interrupts enabled */
		if
		:: softpend[c] ->
			do
			:: atomic { softpend[c] -> softpend[c] = 0; rcu_core(c, t) }
			:: atomic {
				/* nested interrupt: no softirq, no preemption on its exit */
				printf("MSG: cpu%d: nested interrupt in softirq\n", c);
				handler(c, t, 1)
			   }
			:: break
			od
		:: else
		fi;
		/* irqentry_exit() */
	   atomic {
#ifdef MUTANT
		if
		:: borrowed ->
			printf("MSG: cpu%d: MUTANT gives the borrowed count back before the preemption decision\n", c);
			pcnt[t] = pcnt[t] - 1;
			borrowed = 0
		:: else
		fi;
#endif
#ifdef PREEMPTION
		/* raw_irqentry_exit_cond_resched() -> preempt_schedule_irq() */
		if
		:: pcnt[t] == 0 && nr[c] && !IP_CHECK(0) ->
			assert(borrowed == 0);
			printf("MSG: cpu%d: irq exit preempts task%d at ", c, t);
			printm(ip[t]);
			printf("\n");
			switch_out(c, t)
		:: else
		fi;
#endif
		/* tramp_guard_irq_exit() */
#ifndef LEAK_BORROW
		pcnt[t] = pcnt[t] - borrowed;
#endif
		borrowed = 0;
		inreg = 0;
		t = 0
	   }
	od
}

proctype updater()
{
	byte i;

	/* Unpatch the call site: no new call enters the trampoline. */
	hooked = 0;
	printf("MSG: updater: call site unpatched\n");
	if
#ifdef GP_NORMAL
	:: atomic {	/* synchronize_rcu() */
		printf("MSG: updater: normal grace period starts\n");
		i = 0;
		do
		:: i < NCPU -> needqs[i] = 1; i++
		:: else -> break
		od;
		gpleft = NCPU;
		i = 0
	   };
		gpleft == 0
#endif
#ifdef GP_EXP
	:: atomic {	/* synchronize_rcu_expedited() */
		printf("MSG: updater: expedited grace period starts, IPIs sent\n");
		i = 0;
		do
		:: i < NCPU -> expneed[i] = 1; ipi[i] = 1; i++
		:: else -> break
		od;
		expleft = NCPU;
		i = 0
	   };
		expleft == 0
#endif
	fi;
	printf("MSG: updater: grace period over, trampoline memory reused\n");
	reused = 1;
#ifdef WITNESS
	/* Fails when reachable: a GP overlapped a window interrupt and ended. */
	assert(!wit)
#endif
}

init {
	byte i;

	atomic {
		i = 0;
		do
		:: i < NTASK -> cur[i] = i + 1; running[i] = 1; i++
		:: else -> break
		od;
		i = 0;
		do
		:: i < NCPU -> run cpu(i); i++
		:: else -> break
		od;
		run updater()
	}
}
